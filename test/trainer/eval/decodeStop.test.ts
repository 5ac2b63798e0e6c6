// Generation ends at any of the tokenizer's stop tokens (a chat template's end of turn as
// well as <eos>), with and without the key/value cache, and the stop token is not part of
// the output; text comes out through the tokenizer's own decode.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { generateIds, generateIdsNoCache, generateTexts, promptIds } from '../../../trainer/eval/decode';
import { initParams } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { BYTE_TOKENIZER, type Tokenizer } from '../../../trainer/model/tokenizer';

before(async () => {
  await tf.setBackend('cpu');
});

const c: ModelConfig = {
  ...presetConfig('tiny', 64),
  hiddenSize: 16,
  numHiddenLayers: 1,
  numAttentionHeads: 2,
  intermediateSize: 24,
};

test('generation stops at whichever stop token comes first, cached or not', () => {
  const params = initParams(c, 3);
  for (const [name, v] of params) if (v.rank === 2) v.assign(tf.mul(v, name.includes('embed') ? 20 : 4));
  const prompt = promptIds('Tom has 3 apples.', 64);
  const o = { maxNewTokens: 6, maxSeqLen: 64 };
  const free = generateIdsNoCache(params, c, prompt, { ...o, tokenizer: { ...BYTE_TOKENIZER, stopIds: [] } });
  assert.equal(free.length, 6, 'no stop token: the full budget');
  // The third generated token is a stop token now (the first time it appears).
  const stop = free[2];
  const first = free.indexOf(stop);
  const tokenizer: Tokenizer = { ...BYTE_TOKENIZER, stopIds: [999_999, stop] };
  assert.deepEqual(generateIdsNoCache(params, c, prompt, { ...o, tokenizer }), free.slice(0, first));
  assert.deepEqual(generateIds(params, c, [prompt], { ...o, tokenizer }), [free.slice(0, first)]);
  tf.dispose([...params.values()]);
});

test("generateTexts lays prompts out and decodes with the run's tokenizer", () => {
  const params = initParams(c, 4);
  const seen: string[] = [];
  const tokenizer: Tokenizer = {
    ...BYTE_TOKENIZER,
    stopIds: [],
    // Records what it is asked to lay out; decodes to a count, so the decode used is visible.
    encodePair: (p, r, maxLen) => {
      seen.push(p);
      return BYTE_TOKENIZER.encodePair(p, r, maxLen);
    },
    decode: (ids) => `<${ids.length}>`,
  };
  const texts = generateTexts(params, c, ['a', 'bb'], { maxNewTokens: 3, maxSeqLen: 64, tokenizer });
  assert.deepEqual(seen, ['a', 'bb']);
  assert.deepEqual(texts, ['<3>', '<3>']);
  assert.deepEqual(promptIds('a', 64, tokenizer), BYTE_TOKENIZER.encodePair('a', undefined, 64).ids);
  tf.dispose([...params.values()]);
});
