// Items the context cannot hold whole are never scored as if whole: they are counted per
// language and reason, left out of accuracy's denominator (and of similarity and
// consistency), and reported once on the terminal; data without the pivot still gives a
// valid eval event.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelItem } from '../../../protocol/dataset';
import { EvalEvent } from '../../../protocol/metrics';
import { RunConfig } from '../../../protocol/runConfig';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import { type EvalSettings, evaluate } from '../../../trainer/eval/evaluate';
import { answerRoom, skipReason } from '../../../trainer/eval/itemFit';
import { initParams } from '../../../trainer/model/model';
import { presetConfig } from '../../../trainer/model/modelConfig';

const maxSeqLen = 64;
const c = {
  ...presetConfig('tiny', maxSeqLen),
  hiddenSize: 32,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 48,
};
const cfg = RunConfig.parse({ data: { train: 'x' } });
const long = 'This question is far longer than the sixty-four byte context of the model under test.';

function settings(over: Partial<EvalSettings> = {}): EvalSettings {
  return {
    languages: ['en', 'sw'],
    pivot: 'en',
    lowResource: [],
    maxSeqLen,
    objective: cfg.objective,
    evaluation: { ...cfg.evaluation, maxNewTokens: 4, probeFolds: 2, perLayerSimilarity: true },
    warn: () => {},
    ...over,
  };
}

const mc = (id: string, answer: string, prompt: string): ParallelItem => ({
  id,
  answer,
  langs: { en: { prompt, choices: ['yes', 'no'] }, sw: { prompt: `${prompt} (sw)`, choices: ['ndiyo', 'hapana'] } },
});

before(async () => {
  await selectBackend('cpu');
});

test('skipReason: a cut prompt is tooLong, a prompt without room for the answer is noRoom', () => {
  const o = { maxSeqLen, maxNewTokens: 4 };
  assert.equal(skipReason({ prompt: long }, o), 'tooLong');
  assert.equal(
    skipReason({ prompt: 'x'.repeat(maxSeqLen - 2) }, o),
    'noRoom',
    'fills the context exactly: nothing left to generate',
  );
  assert.equal(skipReason({ prompt: 'x'.repeat(maxSeqLen - 2 - 4) }, o), undefined, 'room for maxNewTokens');
  assert.equal(skipReason({ prompt: 'x'.repeat(maxSeqLen - 2 - 3) }, o), 'noRoom');
  assert.equal(
    skipReason({ prompt: 'x'.repeat(maxSeqLen - 2 - 3), response: 'ab' }, o),
    undefined,
    'room for the reference response and <eos>',
  );
  assert.equal(
    answerRoom({ prompt: 'q' }, { maxSeqLen: 192, maxNewTokens: 192 }),
    48,
    'a quarter of the context without a reference',
  );
  assert.equal(
    skipReason({ prompt: 'q', choices: ['a', 'y'.repeat(maxSeqLen)] }, o),
    'tooLong',
    'a choice that would be cut',
  );
  assert.equal(skipReason({ prompt: 'q', choices: ['a', 'b'] }, o), undefined);
});

test("skipped items are not in accuracy's denominator", () => {
  const params = initParams(c, 5);
  const items = [mc('m1', '0', 'Is the sky blue?'), mc('m2', '0', 'Is fire cold?')];
  // Learn what the model picks, then make those picks the gold answers: every scored item is right.
  const first = evaluate(params, c, items, settings());
  const right = items.map((it, i) => ({ ...it, answer: first.answers.get('en')![i]! }));
  const withLong = [...right, mc('m3', '7', long)]; // an answer no choice index matches
  const { metrics, answers, outputs } = evaluate(params, c, withLong, settings({ languages: ['en'] }));
  assert.equal(metrics.accuracy!.en, 1, 'the cut item is left out, not counted wrong');
  assert.deepEqual(metrics.scored, { en: 2 });
  assert.deepEqual(metrics.skipped, { en: { tooLong: 1 } });
  assert.equal(answers.get('en')![2], undefined);
  assert.equal(outputs.get('en')![2], undefined);
  EvalEvent.parse({ kind: 'eval', step: 0, ...metrics });
  tf.dispose([...params.values()]);
});

test('per-language counts by reason, whole prompts only in similarity, one warning per run', () => {
  const params = initParams(c, 6);
  const items: ParallelItem[] = [
    { id: 'g1', answer: '7', langs: { en: { prompt: long }, sw: { prompt: 'Tom ana maembe 3. Ni mangapi?' } } },
    { id: 'g2', answer: '2', langs: { en: { prompt: long }, sw: { prompt: 'x'.repeat(maxSeqLen - 4) } } },
    { id: 'g3', answer: '5', langs: { en: { prompt: `${long} Twice.` }, sw: { prompt: 'Ann ana kalamu 5.' } } },
  ];
  const warnings: string[] = [];
  const s = settings({ warn: (m) => warnings.push(m) });
  const { metrics } = evaluate(params, c, items, s);
  evaluate(params, c, items, s);
  EvalEvent.parse({ kind: 'eval', step: 0, ...metrics });
  assert.deepEqual(metrics.scored, { en: 0, sw: 2 });
  assert.deepEqual(metrics.skipped, { en: { tooLong: 3 }, sw: { noRoom: 1 } });
  assert.equal(metrics.accuracy!.en, undefined, 'no accuracy from nothing');
  assert.ok(metrics.accuracy!.sw !== undefined);
  assert.equal(metrics.consistency, undefined, 'no pivot answer to agree with: no consistency, not 0');
  assert.deepEqual(metrics.similarity!.languages, ['sw'], 'cut English prompts are not compared');
  assert.equal(metrics.layerSimilarity, undefined);
  assert.equal(warnings.length, 1, 'warned once for two evaluations of one run');
  assert.match(warnings[0], /context of 64 tokens/);
  assert.match(warnings[0], /en 3 of 3 \(3 too long\)/);
  assert.match(warnings[0], /sw 1 of 3 \(1 no room for the answer\)/);
  tf.dispose([...params.values()]);
});

test('data without the pivot gives a valid event without pivot metrics', () => {
  const params = initParams(c, 7);
  const items: ParallelItem[] = [mc('x1', '0', 'Kwa nini?'), mc('x2', '1', 'Nini?')].map((it) => ({
    ...it,
    langs: { sw: it.langs.sw, et: { prompt: `${it.langs.en.prompt} (et)`, choices: ['jah', 'ei'] } },
  }));
  const { metrics } = evaluate(params, c, items, settings({ languages: ['sw', 'et'] }));
  EvalEvent.parse({ kind: 'eval', step: 0, ...metrics });
  assert.deepEqual(Object.keys(metrics.accuracy!).sort(), ['et', 'sw']);
  assert.equal(metrics.consistency, undefined);
  assert.equal(metrics.layerSimilarity, undefined, 'per-layer similarity is to the pivot');
  assert.deepEqual(metrics.similarity!.languages, ['sw', 'et']);
  assert.equal(metrics.skipped, undefined);
  tf.dispose([...params.values()]);
});
