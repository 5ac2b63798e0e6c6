// Pretrained Hugging Face folders: the tiny random Llama (grouped-query attention, untied
// lm_head, Llama 3.1 rope scaling, bf16 + fp16 shards) and Qwen2 (q/k/v biases, tied, f32
// shards) of test/fixtures/hf/ load, and our forward pass gives the logits an independent
// PyTorch implementation computed for them (makeTinyHf.py). Then every malformed-folder
// class is one InputError naming the file and the field or tensor.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../../../protocol/errors';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import { generateIds, generateIdsNoCache, promptIds } from '../../../trainer/eval/decode';
import { type HfFolder, readHfFolder } from '../../../trainer/model/hfModel';
import { forward, paramsFromArrays } from '../../../trainer/model/model';
import type { ModelConfig } from '../../../trainer/model/modelConfig';
import { buildTinyHf, readTinyHf } from '../../helpers/hfFixture';

// wasm, with the trainer's kernel fixes: the cpu backend takes seconds per forward pass at
// these vocabularies (151936 x 32 output layers).
before(async () => {
  await selectBackend('wasm');
});

// Each folder is built (embedding shard + tokenizer files) and read once.
const folders = new Map<string, { dir: string; hf: HfFolder }>();
function load(name: 'llama' | 'qwen2') {
  if (!folders.has(name)) {
    const dir = buildTinyHf(name);
    folders.set(name, { dir, hf: readHfFolder(dir) });
  }
  return folders.get(name)!;
}

/** max |got - want| / max |want|. */
function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  assert.equal(got.length, want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / scale;
}

/** Logits at the fixture's sampled vocabulary ids, its argmax and log-sum-exp per position. */
function ourLogits(hf: HfFolder, c: ModelConfig, ids: number[][]) {
  const params = paramsFromArrays(c, hf.arrays);
  const { fixture } = readTinyHf(hf.modelConfig.modelType === 'qwen2' ? 'qwen2' : 'llama');
  const out = tf.tidy(() => {
    const logits = forward(params, c, tf.tensor2d(ids, [ids.length, ids[0].length], 'int32')).logits;
    const sampled = tf.gather(logits, tf.tensor1d(fixture.sampleVocab, 'int32'), 2);
    return {
      sampled: Array.from(sampled.dataSync()),
      argmax: tf.argMax(logits, -1).arraySync() as number[][],
      logsumexp: tf.logSumExp(logits, -1).arraySync() as number[][],
    };
  });
  tf.dispose([...params.values()]);
  return out;
}

for (const name of ['llama', 'qwen2'] as const) {
  test(`${name}: the folder's logits match the independent PyTorch implementation`, () => {
    const { hf } = load(name);
    const { fixture } = readTinyHf(name);
    const ours = ourLogits(hf, hf.modelConfig, fixture.inputIds);
    const err = relError(ours.sampled, fixture.logits);
    assert.ok(err < 1e-4, `logits: relative error ${err.toExponential(2)}`);
    assert.deepEqual(ours.argmax, fixture.argmax, 'argmax over the whole vocabulary');
    const lse = relError(ours.logsumexp.flat(), fixture.logsumexp.flat());
    assert.ok(lse < 1e-4, `log-sum-exp over the whole vocabulary: relative error ${lse.toExponential(2)}`);
  });

  test(`${name}: greedy generation with the key/value cache matches generation without it`, () => {
    const { hf } = load(name);
    const c = hf.modelConfig;
    const params = paramsFromArrays(c, hf.arrays);
    const o = { maxNewTokens: 6, maxSeqLen: 64, tokenizer: hf.tokenizer };
    const prompts = ['Tom has 3 apples.', 'టామ్ దగ్గర 3 ఆపిల్స్'].map((p) => promptIds(p, 64, hf.tokenizer));
    const cached = generateIds(params, c, prompts, o);
    prompts.forEach((p, b) => assert.deepEqual(cached[b], generateIdsNoCache(params, c, p, o), `row ${b}`));
    tf.dispose([...params.values()]);
  });
}

test('llama: the config is read as grouped-query, untied, llama3-scaled; stop ids come from every file', () => {
  const { hf } = load('llama');
  const c = hf.modelConfig;
  assert.deepEqual(
    [c.modelType, c.numAttentionHeads, c.numKeyValueHeads, c.tieWordEmbeddings, c.ropeScaling?.ropeType],
    ['llama', 4, 2, false, 'llama3'],
  );
  assert.ok(hf.arrays.has('lm_head.weight'));
  // tokenizer eos 128001, <|eot_id|> 128009 (template), 128008 (generation_config.json).
  assert.deepEqual([...hf.tokenizer.stopIds].sort(), [128001, 128008, 128009]);
});

test('llama: rope scaling changes these logits far beyond the tolerance, so the parity test checks it', () => {
  const { hf } = load('llama');
  const { fixture } = readTinyHf('llama');
  const { ropeScaling: _, ...plain } = hf.modelConfig;
  const err = relError(ourLogits(hf, plain, fixture.inputIds).sampled, fixture.logits);
  assert.ok(err > 1e-2, `without scaling the error is only ${err}`);
  assert.ok((fixture.scalingEffect ?? 0) > 1e-2);
});

test('qwen2: the config is read as tied with q/k/v biases (and no o bias)', () => {
  const { hf } = load('qwen2');
  assert.equal(hf.modelConfig.modelType, 'qwen2');
  assert.equal(hf.modelConfig.tieWordEmbeddings, true);
  assert.ok(hf.arrays.has('model.layers.0.self_attn.k_proj.bias'));
  assert.ok(!hf.arrays.has('model.layers.0.self_attn.o_proj.bias'));
  assert.ok(!hf.arrays.has('lm_head.weight'));
});

/** A fresh copy of a fixture folder, changed by `edit`, must fail with an InputError that `check` accepts. */
function refused(
  name: 'llama' | 'qwen2',
  edit: (dir: string) => void,
  check: (e: InputError) => boolean,
  what: string,
): void {
  const dir = buildTinyHf(name);
  edit(dir);
  assert.throws(
    () => readHfFolder(dir),
    (e: unknown) => {
      assert.ok(e instanceof InputError, `${what}: ${e}`);
      assert.ok(check(e), `${what}: ${e.message}`);
      return true;
    },
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

const editJson = (file: string, f: (o: Record<string, unknown>) => void) => {
  const o = JSON.parse(fs.readFileSync(file, 'utf8'));
  f(o);
  fs.writeFileSync(file, JSON.stringify(o));
};
const index = (dir: string) => path.join(dir, 'model.safetensors.index.json');
const weightMap = (o: Record<string, unknown>) => o.weight_map as Record<string, string>;

test('malformed folders are input errors naming the file and the tensor or field', () => {
  const shard = 'model-00002-of-00002.safetensors';
  refused(
    'qwen2',
    (d) => fs.truncateSync(path.join(d, shard), fs.statSync(path.join(d, shard)).size - 100),
    (e) => e.location.file.endsWith(shard) && /truncated/.test(e.message),
    'a truncated shard',
  );
  refused(
    'qwen2',
    (d) =>
      editJson(index(d), (o) => {
        weightMap(o)['model.norm.weight'] = 'model-00009-of-00009.safetensors';
      }),
    (e) =>
      e.location.file.endsWith('index.json') &&
      e.location.field === 'weight_map.model.norm.weight' &&
      /model-00009-of-00009.safetensors is missing/.test(e.message),
    'an index naming a missing shard',
  );
  refused(
    'qwen2',
    (d) =>
      editJson(index(d), (o) => {
        delete weightMap(o)['model.layers.1.mlp.up_proj.weight'];
      }),
    (e) => e.location.field === 'model.layers.1.mlp.up_proj.weight' && /missing/.test(e.message),
    'a tensor the index does not list',
  );
  refused(
    'qwen2',
    (d) =>
      editJson(path.join(d, 'config.json'), (o) => {
        o.intermediate_size = 48;
      }),
    (e) =>
      e.location.file.endsWith(shard) &&
      e.location.field === 'model.layers.0.mlp.gate_proj.weight' &&
      /shape \[48,32\]/.test(e.message),
    'shapes that disagree with config.json',
  );
  refused(
    'qwen2',
    (d) => {
      // Same length, so only the dtype changes: F64 is not a dtype this trainer reads.
      const f = path.join(d, shard);
      fs.writeFileSync(
        f,
        Buffer.from(fs.readFileSync(f).toString('latin1').replace('"dtype":"F32"', '"dtype":"F64"'), 'latin1'),
      );
    },
    (e) => e.location.file.endsWith(shard) && /dtype F32, F16 or BF16 \(got F64\)/.test(e.message),
    'an unknown dtype',
  );
  refused(
    'llama',
    (d) =>
      editJson(path.join(d, 'config.json'), (o) => {
        o.architectures = ['MistralForCausalLM'];
      }),
    (e) => e.location.field === 'architectures' && /MistralForCausalLM/.test(e.message),
    'an unsupported architecture',
  );
  refused(
    'llama',
    (d) =>
      editJson(path.join(d, 'config.json'), (o) => {
        (o.rope_scaling as Record<string, unknown>).rope_type = 'yarn';
      }),
    (e) => e.location.field === 'rope_scaling.rope_type' && /"yarn"/.test(e.message),
    'an unsupported rope scaling',
  );
  refused(
    'llama',
    (d) => fs.writeFileSync(path.join(d, 'tokenizer.json'), '{"version": "1.0", "model": '),
    (e) => e.location.file.endsWith('tokenizer.json'),
    'a tokenizer.json that does not parse',
  );
  refused(
    'llama',
    (d) => {
      fs.rmSync(index(d));
    },
    (e) => /model\.safetensors or model\.safetensors\.index\.json/.test(e.message),
    'no weights at all',
  );
});
