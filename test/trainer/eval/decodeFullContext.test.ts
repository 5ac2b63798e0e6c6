// When the prompt already fills the context (or no new tokens are allowed), the cached and
// uncached generation paths must both emit nothing; with room for one token, exactly one.
// A cached path that emitted a token past the context scored a cut prompt's single byte.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import { generateIds, generateIdsNoCache, promptIds } from '../../../trainer/eval/decode';
import { initParams } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';

const maxSeqLen = 40;
const c: ModelConfig = {
  ...presetConfig('tiny', maxSeqLen),
  hiddenSize: 32,
  numHiddenLayers: 2,
  numAttentionHeads: 4,
  intermediateSize: 48,
};

test('cached and uncached generation agree at the edge of the context (cpu)', async () => {
  await selectBackend('cpu');
  const params = initParams(c, 3);
  // Larger init so argmax is decisive and <eos> is unlikely to end a row early by chance.
  for (const [name, v] of params) if (v.rank === 2) v.assign(tf.mul(v, name.includes('embed') ? 20 : 4));
  const long = 'A prompt far longer than the forty-token context of this model.';
  const full = promptIds(long, maxSeqLen);
  const roomForOne = promptIds(long, maxSeqLen - 1);
  const short = promptIds('Tom has 3 apples.', maxSeqLen);
  assert.equal(full.length, maxSeqLen, 'the prompt fills the context');
  assert.equal(roomForOne.length, maxSeqLen - 1);

  for (const maxNewTokens of [0, 1, 8]) {
    const o = { maxNewTokens, maxSeqLen };
    const prompts = [full, roomForOne, short];
    const cached = generateIds(params, c, prompts, o);
    prompts.forEach((p, b) =>
      assert.deepEqual(cached[b], generateIdsNoCache(params, c, p, o), `row ${b}, maxNewTokens ${maxNewTokens}`),
    );
    assert.deepEqual(cached[0], [], 'a prompt that fills the context gets no new token');
    assert.ok(cached[1].length <= Math.min(1, maxNewTokens), 'room for one token gives at most one');
    // Alone in its batch too (no other row to keep the loop going).
    assert.deepEqual(generateIds(params, c, [full], o), [[]]);
  }
  tf.dispose([...params.values()]);
});
