// KV-cache generation must equal re-running the whole prefix, token for token, including
// when prompts of different lengths share a left-padded batch.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import { generateIds, generateIdsNoCache, promptIds } from '../../../trainer/eval/decode';
import { initParams } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';

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
