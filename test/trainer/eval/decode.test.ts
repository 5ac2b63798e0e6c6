// KV-cache generation must equal re-running the whole prefix, token for token, including
// when prompts of different lengths share a left-padded batch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import {
  generateIds,
  generateIdsNoCache,
  generateTexts,
  generationBatch,
  promptIds,
} from '../../../trainer/eval/decode';
import { initParams } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { BYTE_TOKENIZER } from '../../../trainer/model/tokenizer';

const c: ModelConfig = {
  ...presetConfig('tiny', 96),
  hiddenSize: 32,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  intermediateSize: 48,
};

for (const backend of ['cpu', 'wasm'] as const) {
  test(`KV-cache generation equals no-cache generation token for token (${backend})`, async () => {
    await selectBackend(backend);
    // Larger init than usual so the random model's argmax is decisive, not a near-tie.
    const params = initParams(c, 11);
    for (const [name, v] of params) if (v.rank === 2) v.assign(tf.mul(v, name.includes('embed') ? 20 : 4));
    const prompts = [
      'Tom has 3 apples.',
      'Juma ana maembe 12 na ananunua 4 zaidi. Ni mangapi?',
      'ఒక పెట్టెలో 4 గుడ్లు.',
    ].map((p) => promptIds(p, 96));
    const o = { maxNewTokens: 20, maxSeqLen: 96 };
    const cached = generateIds(params, c, prompts, o);
    for (let b = 0; b < prompts.length; b++) {
      const ref = generateIdsNoCache(params, c, prompts[b], o);
      assert.deepEqual(cached[b], ref, `row ${b}`);
      assert.ok(ref.length > 0);
    }
    const before = tf.memory().numTensors;
    generateIds(params, c, prompts, o);
    assert.equal(tf.memory().numTensors, before, 'generation must not leak tensors');
    tf.dispose([...params.values()]);
  });
}

test('generateTexts batches prompts by length but answers in the prompts’ order', async () => {
  await selectBackend('cpu');
  // An untied output layer: with tied random embeddings every prompt continues with its
  // last token (<sep>), and a mix-up of rows would not show.
  const untied: ModelConfig = { ...c, tieWordEmbeddings: false };
  const params = initParams(untied, 1);
  for (const v of params.values()) if (v.rank === 2) v.assign(tf.mul(v, 3));
  // Longest first and shortest in the middle: sorting changes every batch's members.
  const prompts = ['Juma ana maembe 12 na ananunua 4 zaidi.', 'Hi', 'Tom has 3 apples.', 'ఒక పెట్టెలో'];
  const o = { maxNewTokens: 6, maxSeqLen: 96 };
  const alone = prompts.map((p) => generateIds(params, untied, [promptIds(p, 96)], o)[0]);
  assert.equal(new Set(alone.map(String)).size, prompts.length, 'distinct continuations');
  const texts = generateTexts(params, untied, prompts, o, 2);
  assert.deepEqual(
    texts,
    alone.map((ids) => BYTE_TOKENIZER.decode(ids)),
  );
  tf.dispose([...params.values()]);
});

test('generation batches: 32 prompts for a small model, fewer where the key/value caches grow large', () => {
  assert.equal(generationBatch(presetConfig('tiny', 512), 512), 32);
  // 24 layers x 2 key/value heads x 64 wide at 32k positions: 805 MB of cache per row.
  const big: ModelConfig = {
    ...presetConfig('tiny', 32768),
    numHiddenLayers: 24,
    hiddenSize: 896,
    numAttentionHeads: 14,
    numKeyValueHeads: 2,
  };
  assert.equal(generationBatch(big, 32768), 1);
  assert.equal(generationBatch(big, 2048), 5);
});
