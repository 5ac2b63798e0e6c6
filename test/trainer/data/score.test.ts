// Scoring a dataset with a model: the figures are the objective's own (softTokenSummaries,
// the response CE that evalLoss averages), whatever the batching; rows that cannot be
// scored get the reason, never a number.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { ParallelItem } from '../../../protocol/dataset';
import { LanguageScore } from '../../../protocol/datasetScores';
import type { ObjectiveConfig } from '../../../protocol/runConfig';
import { cosineDistance, type ScoreOptions, scoreItems } from '../../../trainer/data/score';
import { evalLoss } from '../../../trainer/eval/evalLoss';
import { forward, initParams, type Params } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { makeBatch } from '../../../trainer/train/batches';
import { softTokenSummaries } from '../../../trainer/train/objective';
import { sampleItems } from '../../helpers/fixtures';

const c: ModelConfig = {
  ...presetConfig('tiny', 128),
  hiddenSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 24,
};
const obj: ObjectiveConfig = { lambda: 0.5, tau: 0.7, topK: 0, pool: 'response', symmetric: false };
let params: Params;

before(async () => {
  await tf.setBackend('cpu');
  params = initParams(c, 11);
});

after(() => tf.dispose([...params.values()]));

const opts = (o: Partial<ScoreOptions> = {}): ScoreOptions => ({
  languages: ['en', 'sw', 'te'],
  pivot: 'en',
  maxSeqLen: 256,
  objective: obj,
  ...o,
});

/** The summary of one row run alone, straight from forward + softTokenSummaries with makeBatch's pool mask. */
function summaryAlone(entry: { prompt: string; response?: string }, lang: string, o: ObjectiveConfig): Float32Array {
  const b = makeBatch([{ id: 'x', answer: '', langs: { [lang]: entry } }], {
    languages: [lang],
    pivot: 'en',
    maxSeqLen: 256,
    pool: o.pool,
  });
  return tf.tidy(() => {
    const { logits } = forward(params, c, tf.tensor2d(b.ids, [b.R, b.T], 'int32'));
    const embed = params.get('model.embed_tokens.weight')! as tf.Tensor as tf.Tensor2D;
    return softTokenSummaries(logits, tf.tensor2d(b.poolMask, [b.R, b.T]), embed, o.tau, o.topK).dataSync();
  }) as Float32Array;
}

test('figures agree with evalLoss and with softTokenSummaries computed directly, in any batching', async () => {
  const items = sampleItems();
  const wide = (await scoreItems(params, c, items, opts()))!;
  const narrow = (await scoreItems(params, c, items, opts({ tokensPerPass: 64 })))!;
  items.forEach((it, i) => {
    for (const [lang, entry] of Object.entries(it.langs)) {
      const s = wide[i][lang];
      assert.ok(LanguageScore.safeParse(s).success, `${it.id}/${lang}: ${JSON.stringify(s)}`);
      // Loss: evalLoss over this item alone is this row's mean response CE.
      const one = { ...it, langs: { [lang]: entry } };
      const want = evalLoss(params, c, [one], { languages: [lang], pivot: 'en', maxSeqLen: 256, pool: 'response' })[
        lang
      ];
      assert.ok(Math.abs(s.loss! - want) < 1e-4, `${it.id}/${lang} loss ${s.loss} vs evalLoss ${want}`);
      assert.ok(Math.abs(narrow[i][lang].loss! - s.loss!) < 1e-4, 'the same loss however rows are batched');
      if (lang === 'en') {
        assert.equal(s.distanceSkipped, 'pivot');
        continue;
      }
      const d = cosineDistance(summaryAlone(entry, lang, obj), summaryAlone(it.langs.en, 'en', obj));
      assert.ok(d > 1e-3, 'a real translation is some way from its pivot');
      assert.ok(Math.abs(s.distance! - d) < 1e-5, `${it.id}/${lang} distance ${s.distance} vs ${d}`);
      assert.ok(Math.abs(narrow[i][lang].distance! - s.distance!) < 1e-5);
    }
  });
});

test("a language whose text is the pivot's is at distance 0; --languages leaves the pivot out of the report only", async () => {
  const [a1] = sampleItems();
  const item: ParallelItem = { ...a1, langs: { en: a1.langs.en, es: { ...a1.langs.en }, sw: a1.langs.sw } };
  const [fig] = (await scoreItems(params, c, [item], opts({ languages: ['es', 'sw'] })))!;
  assert.deepEqual(Object.keys(fig), ['es', 'sw'], 'the pivot ran as the reference but is not reported');
  assert.equal(fig.es.distance, 0);
  assert.ok(fig.sw.distance! > 0);
});

test('rows that cannot be scored get the reason instead of a number', async () => {
  const [a1, a2, a3] = sampleItems();
  const long = 'x'.repeat(300); // more than the 256-token context
  const items: ParallelItem[] = [
    // sw has no response; te does not fit.
    { ...a1, langs: { en: a1.langs.en, sw: { prompt: a1.langs.sw.prompt }, te: { ...a1.langs.te, response: long } } },
    // The pivot has no response.
    { ...a2, langs: { en: { prompt: a2.langs.en.prompt }, sw: a2.langs.sw } },
    // The pivot does not fit.
    { ...a1, id: 'a4', langs: { en: { prompt: long, response: 'x' }, sw: a1.langs.sw } },
    // No pivot at all.
    { ...a3, langs: { te: a3.langs.te } },
  ];
  const figs = (await scoreItems(params, c, items, opts()))!;
  for (const f of figs) for (const s of Object.values(f)) assert.ok(LanguageScore.safeParse(s).success);
  assert.deepEqual(figs[0].sw, { distanceSkipped: 'noResponse', lossSkipped: 'noResponse' });
  assert.deepEqual(figs[0].te, { distanceSkipped: 'tooLong', lossSkipped: 'tooLong' });
  assert.ok(figs[0].en.loss! > 0);
  assert.equal(figs[1].sw.distanceSkipped, 'pivotNoResponse');
  assert.ok(figs[1].sw.loss! > 0, 'its own loss is still scored');
  assert.deepEqual(figs[1].en, { distanceSkipped: 'pivot', lossSkipped: 'noResponse' });
  assert.equal(figs[2].sw.distanceSkipped, 'pivotTooLong');
  assert.equal(figs[2].en.lossSkipped, 'tooLong');
  assert.equal(figs[3].te.distanceSkipped, 'noPivot');
  assert.ok(figs[3].te.loss! > 0);

  // Pooling prompt and response: a row without a response still has a summary, so a distance.
  const all = (await scoreItems(params, c, items.slice(0, 2), opts({ objective: { ...obj, pool: 'all' } })))!;
  assert.ok(all[0].sw.distance! > 0);
  assert.equal(all[0].sw.lossSkipped, 'noResponse');
  assert.ok(all[1].sw.distance! > 0, 'the pivot without a response pools its prompt');
});

test('progress counts rows up to all of them; a stop between passes returns null', async () => {
  const items = sampleItems();
  const seen: [number, number][] = [];
  await scoreItems(params, c, items, opts({ tokensPerPass: 64 }), { progress: (d, t) => seen.push([d, t]) });
  assert.ok(seen.length > 2, 'several passes');
  assert.deepEqual(seen.at(-1), [7, 7], 'seven rows in the sample items');
  assert.ok(seen.every(([d], k) => k === 0 || d > seen[k - 1][0]));
  let passes = 0;
  const stopped = await scoreItems(params, c, items, opts({ tokensPerPass: 64 }), {
    progress: () => passes++,
    stopped: () => passes >= 2,
  });
  assert.equal(stopped, null);
});
