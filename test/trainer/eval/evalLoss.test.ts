// Eval loss per language: response-token CE summed over a language's rows, over its
// tokens (computeLoss's rowCe and rowTokens); the same however the rows are packed.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ObjectiveConfig } from '../../../protocol/runConfig';
import { evalLoss, evalSample } from '../../../trainer/eval/evalLoss';
import { initParams } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { makeBatch } from '../../../trainer/train/batches';
import { computeLoss } from '../../../trainer/train/objective';
import { sampleItems } from '../../helpers/fixtures';

before(async () => {
  await tf.setBackend('cpu');
});

const c: ModelConfig = {
  ...presetConfig('tiny', 128),
  hiddenSize: 16,
  numHiddenLayers: 1,
  numAttentionHeads: 2,
  intermediateSize: 24,
};
const obj: ObjectiveConfig = { lambda: 0.5, tau: 1, topK: 0, pool: 'response', symmetric: false };

test("per-language loss is the token-weighted mean response CE of that language's rows, in any batching", () => {
  const params = initParams(c, 6);
  const items = sampleItems();
  const opts = { languages: ['en', 'sw', 'te'], pivot: 'en', maxSeqLen: 128, pool: 'response' as const };
  // By hand: each item alone, each language's summed CE over its response tokens.
  const sum: Record<string, number> = {};
  const tokens: Record<string, number> = {};
  for (const it of items) {
    const b = makeBatch([it], opts);
    const [rowCe, rowTokens] = tf.tidy(() => {
      const p = computeLoss(params, c, b, obj);
      return [p.rowCe.dataSync(), p.rowTokens.dataSync()];
    });
    b.rowLang.forEach((l, r) => {
      sum[l] = (sum[l] ?? 0) + rowCe[r];
      tokens[l] = (tokens[l] ?? 0) + rowTokens[r];
    });
  }
  // Budgets from one row per pass to all rows in one.
  for (const tokensPerPass of [1, 200, 100_000]) {
    const got = evalLoss(params, c, items, opts, tokensPerPass);
    assert.deepEqual(Object.keys(got).sort(), ['en', 'sw', 'te']);
    for (const l of Object.keys(got))
      assert.ok(
        Math.abs(got[l] - sum[l] / tokens[l]) < 1e-4,
        `${tokensPerPass} tokens per pass, ${l}: ${got[l]} vs ${sum[l] / tokens[l]}`,
      );
  }
  tf.dispose([...params.values()]);
});

test('a language with no response tokens (an eval set without responses) gets no loss, not NaN', () => {
  const params = initParams(c, 6);
  const [a1] = sampleItems();
  const item = { ...a1, langs: { ...a1.langs, te: { prompt: a1.langs.te!.prompt } } };
  const got = evalLoss(
    params,
    c,
    [item],
    { languages: ['en', 'sw', 'te'], pivot: 'en', maxSeqLen: 128, pool: 'response' },
    4,
  );
  assert.deepEqual(Object.keys(got).sort(), ['en', 'sw']);
  tf.dispose([...params.values()]);
});

test('the eval sample is the same seeded subset every time, and the whole set when it is small', () => {
  const items = Array.from({ length: 20 }, (_, i) => ({ ...sampleItems()[0], id: `i${i}` }));
  const a = evalSample(items, 5, 3).map((it) => it.id);
  assert.equal(new Set(a).size, 5);
  assert.deepEqual(
    evalSample(items, 5, 3).map((it) => it.id),
    a,
  );
  assert.notDeepEqual(
    evalSample(items, 5, 4).map((it) => it.id),
    a,
  );
  assert.equal(evalSample(items, 20, 3), items);
  assert.equal(evalSample(items, 99, 3), items);
});
