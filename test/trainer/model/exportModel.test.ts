// `solar export` as a library call on a real 2-step run: the float32 export read back by
// our Hugging Face loader is bit-exact; float16/bfloat16 are exactly the float32 values
// rounded to nearest (checked against an independent rounding); a tiny shard size gives
// several shards and an index the loader reads; the export never overwrites other files;
// a run from a pretrained folder exports in that folder's dtype with its tokenizer files.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { loadCheckpoint } from '../../../trainer/model/checkpoint';
import { exportModel, parseShardSize } from '../../../trainer/model/exportModel';
import { readHfFolder } from '../../../trainer/model/hfModel';
import { resolveCheckpoint } from '../../../trainer/model/loadModel';
import type { NamedArray } from '../../../trainer/model/safetensors';
import { readSafetensors } from '../../../trainer/model/safetensors';
import { BOS, EOS, PAD } from '../../../trainer/model/tokenizer';
import { train } from '../../../trainer/train/train';
import { smallConfig, tempDir, writeConfig } from '../../helpers/helpers';
import { lenmlDir } from '../../helpers/hfFixture';

let dir = '';
let runDir = '';
let weights = new Map<string, NamedArray>();

before(async () => {
  dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ steps: 2, evaluation: { maxNewTokens: 4 } }));
  runDir = (await train({ configFile: cfg, runDir: path.join(dir, 'run'), quiet: true })).runDir;
  weights = loadCheckpoint(resolveCheckpoint(runDir).checkpointDir).model;
});

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

/** Round-to-nearest-even bfloat16 of a float32, computed from its two candidate neighbours. */
function bf16Reference(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  const lo = u[0] & 0xffff0000;
  const pick = (bits: number) => new Float32Array(new Uint32Array([bits >>> 0]).buffer)[0];
  const a = pick(lo);
  const b = pick(lo + 0x10000);
  const da = Math.abs(f[0] - a);
  const db = Math.abs(f[0] - b);
  if (da !== db) return da < db ? a : b;
  return (lo >>> 16) & 1 ? b : a;
}

/** Whether y is a float16 value nearest to x (half an ulp at most; values here are far from overflow). */
function isNearestHalf(x: number, y: number): boolean {
  const ulp = 2 ** (Math.max(Math.floor(Math.log2(Math.abs(x) || 2 ** -24)), -14) - 10);
  const onGrid = Number.isInteger(y / 2 ** (Math.max(Math.floor(Math.log2(Math.abs(y) || 2 ** -24)), -14) - 10));
  return onGrid && Math.abs(x - y) <= ulp / 2;
}

test('float32 export: the loader reads back every tensor bit for bit, with ids and tokenizer', () => {
  const out = path.join(dir, 'f32');
  const r = exportModel({ source: runDir, out, dtype: 'float32' });
  assert.deepEqual(r.files, ['model.safetensors']);
  assert.deepEqual(fs.readdirSync(out).sort(), [
    'config.json',
    'generation_config.json',
    'model.safetensors',
    'tokenizer.json',
    'tokenizer_config.json',
  ]);
  const config = readJson(path.join(out, 'config.json'));
  assert.equal(config.torch_dtype, 'float32');
  assert.deepEqual([config.bos_token_id, config.eos_token_id, config.pad_token_id], [BOS, EOS, PAD]);
  assert.equal(readJson(path.join(out, 'generation_config.json')).eos_token_id, EOS);
  const hf = readHfFolder(out);
  assert.equal(hf.arrays.size, weights.size);
  for (const [name, a] of hf.arrays) {
    assert.deepEqual(a.shape, weights.get(name)!.shape, name);
    assert.deepEqual(
      new Uint32Array(a.data.buffer, a.data.byteOffset, a.data.length),
      new Uint32Array(weights.get(name)!.data.buffer, weights.get(name)!.data.byteOffset, a.data.length),
      name,
    );
  }
  // The exported tokenizer, read as a Hugging Face one, has our special ids.
  assert.deepEqual([hf.tokenizer.bosId, hf.tokenizer.eosId, hf.tokenizer.padId], [BOS, EOS, PAD]);
  assert.equal(hf.tokenizer.vocabSize, 260);
});

test('bfloat16 and float16 exports are the float32 values rounded to nearest', () => {
  for (const dtype of ['bfloat16', 'float16'] as const) {
    const out = path.join(dir, dtype);
    exportModel({ source: runDir, out, dtype });
    assert.equal(readJson(path.join(out, 'config.json')).torch_dtype, dtype);
    const header = readSafetensors(path.join(out, 'model.safetensors'));
    assert.ok(header.metadata.solar_export);
    const raw = fs.readFileSync(path.join(out, 'model.safetensors'));
    const n = Number(raw.readBigUInt64LE(0));
    const entries = Object.values(JSON.parse(raw.subarray(8, 8 + n).toString('utf8'))) as { dtype?: string }[];
    assert.ok(entries.filter((e) => e.dtype).every((e) => e.dtype === (dtype === 'bfloat16' ? 'BF16' : 'F16')));
    const hf = readHfFolder(out);
    let changed = 0;
    for (const [name, a] of hf.arrays) {
      const want = weights.get(name)!.data;
      for (let i = 0; i < want.length; i++) {
        if (dtype === 'bfloat16') assert.equal(a.data[i], bf16Reference(want[i]), `${name}[${i}]`);
        else assert.ok(isNearestHalf(want[i], a.data[i]), `${name}[${i}]: ${want[i]} -> ${a.data[i]}`);
        if (a.data[i] !== want[i]) changed++;
      }
    }
    assert.ok(changed > 0, `${dtype} rounded some values`);
  }
});

test('a tiny shard size writes several shards and an index the loader reads', () => {
  const out = path.join(dir, 'sharded');
  const r = exportModel({ source: runDir, out, dtype: 'float32', maxShardBytes: parseShardSize('200KB')! });
  assert.ok(r.files.length > 1, `${r.files.length} shards`);
  assert.equal(r.files[0], `model-00001-of-${String(r.files.length).padStart(5, '0')}.safetensors`);
  assert.ok(!fs.existsSync(path.join(out, 'model.safetensors')));
  const index = readJson(path.join(out, 'model.safetensors.index.json'));
  assert.deepEqual(new Set(Object.values(index.weight_map)), new Set(r.files));
  assert.deepEqual(Object.keys(index.weight_map).sort(), [...weights.keys()].sort());
  const sizes = r.files.map((f) => fs.statSync(path.join(out, f)).size);
  assert.equal(index.metadata.total_size, r.bytes);
  assert.ok(sizes.every((s) => s > 0));
  const hf = readHfFolder(out);
  for (const [name, a] of hf.arrays) assert.deepEqual(a.data, weights.get(name)!.data, name);
});

test('shard sizes parse in Hugging Face units; nonsense does not', () => {
  assert.equal(parseShardSize('2GB'), 2e9);
  assert.equal(parseShardSize('500MB'), 5e8);
  assert.equal(parseShardSize('1GiB'), 2 ** 30);
  assert.equal(parseShardSize('1000'), 1000);
  for (const bad of ['', 'GB', '-1MB', '2 parsecs', '0']) assert.equal(parseShardSize(bad), undefined, bad);
});

test('an export replaces a previous export, and refuses a folder with other files', () => {
  const out = path.join(dir, 'again');
  exportModel({ source: runDir, out, dtype: 'float32', maxShardBytes: 200_000 });
  exportModel({ source: runDir, out, dtype: 'bfloat16' });
  assert.ok(!fs.readdirSync(out).some((f) => f.startsWith('model-')), 'old shards gone');
  assert.equal(readJson(path.join(out, 'config.json')).torch_dtype, 'bfloat16');
  assert.ok(!fs.readdirSync(dir).some((f) => f.includes('.tmp-') || f.includes('.old-')), 'no temporary folders left');

  const mine = path.join(dir, 'mine');
  fs.mkdirSync(mine);
  fs.writeFileSync(path.join(mine, 'config.json'), '{"mine": true}');
  assert.throws(
    () => exportModel({ source: runDir, out: mine }),
    (e: unknown) => e instanceof InputError && e.message.includes(mine),
  );
  assert.deepEqual(fs.readdirSync(mine), ['config.json']);
  assert.equal(fs.readFileSync(path.join(mine, 'config.json'), 'utf8'), '{"mine": true}');
});

test('bad input names the file', () => {
  assert.throws(
    () => exportModel({ source: dir }),
    (e: unknown) => e instanceof InputError && e.message.includes(dir),
  );
  const broken = path.join(dir, 'broken-step');
  fs.cpSync(resolveCheckpoint(runDir).checkpointDir, broken, { recursive: true });
  const model = path.join(broken, 'model.safetensors');
  fs.truncateSync(model, fs.statSync(model).size - 16);
  assert.throws(
    () => exportModel({ source: broken, out: path.join(dir, 'never') }),
    (e: unknown) => e instanceof InputError && e.message.includes(model),
  );
  assert.ok(!fs.existsSync(path.join(dir, 'never')));
});

test('a run from a pretrained folder exports in its dtype with its tokenizer files', () => {
  // A checkpoint whose run config names a model folder (bfloat16, a real tokenizer).
  const source = path.join(dir, 'pretrained-src');
  fs.mkdirSync(source);
  fs.writeFileSync(path.join(source, 'config.json'), JSON.stringify({ torch_dtype: 'bfloat16' }));
  const ck = path.join(dir, 'pretrained-step');
  fs.cpSync(resolveCheckpoint(runDir).checkpointDir, ck, { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json'])
    fs.copyFileSync(path.join(lenmlDir('qwen3'), f), path.join(ck, f));
  const statePath = path.join(ck, 'trainer_state.json');
  const state = readJson(statePath);
  state.config.model = { path: source, maxSeqLen: state.config.model.maxSeqLen };
  fs.writeFileSync(statePath, JSON.stringify(state));
  const out = path.join(dir, 'pretrained-export');
  assert.equal(exportModel({ source: ck, out }).dtype, 'bfloat16');
  for (const f of ['tokenizer.json', 'tokenizer_config.json'])
    assert.deepEqual(fs.readFileSync(path.join(out, f)), fs.readFileSync(path.join(ck, f)), f);
  assert.equal(readJson(path.join(out, 'config.json')).torch_dtype, 'bfloat16');
});
