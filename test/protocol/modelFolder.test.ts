// The model-folder check New Run Config… runs as the user picks: the real tiny Llama and
// Qwen2 fixtures (completed with their generated shard and real tokenizer) pass; broken
// copies fail with one sentence naming the missing file or field.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { checkModelFolder, tokenizerType } from '../../protocol/modelFolder';
import { tempDir } from '../helpers/helpers';
import { buildTinyHf, HF_FIXTURES } from '../helpers/hfFixture';

const made: string[] = [];
after(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = tempDir('solar-modelfolder-');
  made.push(d);
  return d;
};

const built = new Map<'llama' | 'qwen2', string>();
function fixture(name: 'llama' | 'qwen2'): string {
  if (!built.has(name)) built.set(name, buildTinyHf(name, path.join(temp(), name)));
  return built.get(name)!;
}

/** A copy of a fixture, hard-linked (the shards are megabytes); edits go through `put`/`drop`. */
function brokenCopy(name: 'llama' | 'qwen2'): string {
  const src = fixture(name);
  const dir = path.join(temp(), name);
  fs.mkdirSync(dir);
  for (const f of fs.readdirSync(src)) fs.linkSync(path.join(src, f), path.join(dir, f));
  return dir;
}
const drop = (dir: string, file: string) => fs.rmSync(path.join(dir, file));
/** Replace a file without touching the hard-linked original. */
function put(dir: string, file: string, text: string): void {
  fs.rmSync(path.join(dir, file), { force: true });
  fs.writeFileSync(path.join(dir, file), text);
}
const json = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

function problem(dir: string): string {
  const r = checkModelFolder(dir);
  assert.equal(r.ok, false, `expected ${dir} to be refused`);
  return r.ok ? '' : r.problem;
}

test('the sharded tiny Llama passes: architecture, every shard, BPE tokenizer with its vocabulary', () => {
  const r = checkModelFolder(fixture('llama'));
  assert.ok(r.ok, r.ok ? '' : r.problem);
  assert.equal(r.info.name, 'llama');
  assert.equal(r.info.architecture, 'LlamaForCausalLM');
  assert.deepEqual(
    r.info.weights,
    [1, 2, 3].map((i) => `model-0000${i}-of-00003.safetensors`),
  );
  assert.equal(r.info.tokenizer, 'BPE');
  assert.ok(r.info.vocabSize! > 100_000, `llama3 vocabulary: ${r.info.vocabSize}`);
});

test('the tiny Qwen2 passes as Qwen2ForCausalLM', () => {
  const r = checkModelFolder(fixture('qwen2'));
  assert.ok(r.ok, r.ok ? '' : r.problem);
  assert.equal(r.info.architecture, 'Qwen2ForCausalLM');
  assert.deepEqual(r.info.weights, ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
  assert.equal(r.info.tokenizer, 'BPE');
});

test('a single model.safetensors needs no index; model_type alone names the architecture', () => {
  const dir = brokenCopy('qwen2');
  for (const f of fs.readdirSync(dir)) if (f.startsWith('model')) drop(dir, f);
  put(dir, 'model.safetensors', '');
  const config = json(dir, 'config.json');
  delete config.architectures;
  put(dir, 'config.json', JSON.stringify(config));
  const r = checkModelFolder(dir);
  assert.ok(r.ok, r.ok ? '' : r.problem);
  assert.deepEqual(r.info.weights, ['model.safetensors']);
  assert.equal(r.info.architecture, 'qwen2');
});

test('the committed fixture folder alone lacks its generated shard: the index names it', () => {
  assert.match(
    problem(path.join(HF_FIXTURES, 'llama')),
    /model\.safetensors\.index\.json names the shard model-00001-of-00003\.safetensors, which is missing/,
  );
});

test('config.json: missing, not JSON, or another architecture', () => {
  let dir = brokenCopy('llama');
  drop(dir, 'config.json');
  assert.match(problem(dir), /no config\.json/);
  dir = brokenCopy('llama');
  put(dir, 'config.json', '{"architectures": [');
  assert.match(problem(dir), /config\.json does not parse/);
  dir = brokenCopy('llama');
  put(dir, 'config.json', JSON.stringify({ ...json(dir, 'config.json'), architectures: ['MistralForCausalLM'] }));
  const p = problem(dir);
  assert.match(p, /field "architectures"/);
  assert.match(p, /LlamaForCausalLM or Qwen2ForCausalLM/);
  assert.match(p, /MistralForCausalLM/);
});

test('weights: none at all, an index that does not parse, an index without a weight map', () => {
  let dir = brokenCopy('qwen2');
  for (const f of fs.readdirSync(dir)) if (f.startsWith('model')) drop(dir, f);
  assert.match(problem(dir), /no model\.safetensors \(nor model\.safetensors\.index\.json/);
  dir = brokenCopy('qwen2');
  put(dir, 'model.safetensors.index.json', '{"weight_map": {');
  assert.match(problem(dir), /model\.safetensors\.index\.json does not parse/);
  dir = brokenCopy('qwen2');
  put(dir, 'model.safetensors.index.json', '{"metadata": {}}');
  assert.match(problem(dir), /field "weight_map"/);
});

test('tokenizer.json: missing, truncated, or not a tokenizer', () => {
  let dir = brokenCopy('llama');
  drop(dir, 'tokenizer.json');
  assert.match(problem(dir), /no tokenizer\.json/);
  dir = brokenCopy('llama');
  put(dir, 'tokenizer.json', fs.readFileSync(path.join(fixture('llama'), 'tokenizer.json'), 'utf8').slice(0, 5000));
  assert.match(problem(dir), /tokenizer\.json does not parse/);
  dir = brokenCopy('llama');
  put(dir, 'tokenizer.json', '{"version": "1.0"}');
  assert.match(problem(dir), /tokenizer\.json: field "model\.type"/);
});

test('a file or a missing path is not a folder', () => {
  assert.match(problem(path.join(fixture('llama'), 'config.json')), /is not a folder/);
  assert.match(problem(path.join(temp(), 'nowhere')), /is not a folder/);
});

test('tokenizerType reads the type, and reads it again once the file changes', () => {
  const dir = temp();
  assert.equal(tokenizerType(dir), undefined);
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE', vocab: {} } }));
  assert.equal(tokenizerType(dir), 'BPE');
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify({ model: { type: 'Unigram', vocab: [] } }));
  assert.equal(tokenizerType(dir), 'Unigram');
});
