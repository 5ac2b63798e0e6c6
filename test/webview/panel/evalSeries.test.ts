// Series over eval steps, the per-layer view, step selection and the counts behind an accuracy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvalEvent } from '../../../protocol/metrics';
import {
  accuracySeries,
  accuracySteps,
  consistencySeries,
  countsText,
  layerSeries,
  selectedIndex,
  separabilitySeries,
  stepsWith,
} from '../../../webview/panel/evalSeries';
import { evalEvent } from '../../helpers/metricsFixture';

const evals = [0, 20, 40].map(evalEvent);

test('accuracy and consistency: a series per language over eval steps', () => {
  const acc = accuracySeries(evals);
  assert.deepEqual(
    acc.map((s) => [s.key, s.label, s.lang]),
    [
      ['acc:en', 'en', 'en'],
      ['acc:sw', 'sw', 'sw'],
      ['acc:te', 'te', 'te'],
      ['acc:zh', 'zh', 'zh'],
    ],
  );
  assert.deepEqual(acc[2].points, [
    { step: 0, value: evalEvent(0).accuracy!.te },
    { step: 20, value: evalEvent(20).accuracy!.te },
    { step: 40, value: evalEvent(40).accuracy!.te },
  ]);
  assert.deepEqual(
    consistencySeries(evals).map((s) => s.key),
    ['cons:sw', 'cons:te', 'cons:zh'],
  );
  const gap: EvalEvent[] = [{ kind: 'eval', step: 5 }, evalEvent(10)];
  assert.deepEqual(
    accuracySeries(gap)[0].points.map((p) => p.step),
    [10],
    'an eval without accuracy adds no point',
  );
});

test('separability: silhouette and probe accuracy, and the latest chance level', () => {
  const { series, chance } = separabilitySeries(evals);
  assert.deepEqual(
    series.map((s) => s.label),
    ['silhouette', 'probe accuracy'],
  );
  assert.deepEqual(
    series[1].points.map((p) => p.value),
    evals.map((e) => e.separability!.probeAccuracy),
  );
  assert.equal(chance, 0.25);
  assert.deepEqual(separabilitySeries([{ kind: 'eval', step: 0 }]), { series: [] });
});

test('layerSeries: x is the layer (1-based), a series per language', () => {
  const e = evalEvent(40);
  const layers = layerSeries(e);
  assert.deepEqual(
    layers.map((s) => s.key),
    ['layer:sw', 'layer:te', 'layer:zh'],
  );
  assert.deepEqual(
    layers[0].points,
    e.layerSimilarity!.map((l, i) => ({ step: i + 1, value: l.sw })),
  );
  assert.deepEqual(layerSeries(undefined), []);
});

test('stepsWith, accuracySteps and selectedIndex (pinned or the newest)', () => {
  const mixed: EvalEvent[] = [
    { kind: 'eval', step: 0, accuracy: { en: 0 } },
    evalEvent(20),
    { kind: 'eval', step: 30, layerSimilarity: [{ sw: 0.1 }] },
  ];
  assert.deepEqual(stepsWith(mixed, 'similarity'), [20]);
  assert.deepEqual(stepsWith(mixed, 'softTokenSimilarity'), [20]);
  assert.deepEqual(stepsWith(mixed, 'layers'), [20, 30]);
  assert.deepEqual(accuracySteps(mixed), [0, 20]);
  assert.equal(selectedIndex([0, 20, 40], null), 2, 'null follows the newest');
  assert.equal(selectedIndex([0, 20, 40], 20), 1);
  assert.equal(selectedIndex([0, 20, 40], 30), 2, 'a step not there: the newest');
  assert.equal(selectedIndex([], null), -1);
});

test('countsText: scored, skipped and why', () => {
  const e: EvalEvent = {
    kind: 'eval',
    step: 10,
    scored: { en: 40, te: 37, sw: 39 },
    skipped: { te: { tooLong: 2, noRoom: 1 }, sw: { noRoom: 1 } },
  };
  assert.equal(countsText(e, 'en'), '40 scored, none skipped');
  assert.equal(countsText(e, 'te'), '37 scored, 3 skipped: 2 too long, 1 no room to answer');
  assert.equal(countsText(e, 'sw'), '39 scored, 1 skipped: 1 no room to answer');
  assert.equal(countsText({ kind: 'eval', step: 0 }, 'en'), '', 'no counts recorded');
});
