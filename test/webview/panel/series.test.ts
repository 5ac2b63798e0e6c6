// The panel's data model: series built from events, evals by step, smoothing and the
// nearest-step lookup of the hover read-out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EmaCache, ema, MetricsModel, nearest } from '../../../webview/panel/series';
import { evalEvent, eventStream, LANGS, trainEvent } from '../../helpers/metricsFixture';

test('MetricsModel builds loss, CE and alignment series per language, legend order stable', () => {
  const m = new MetricsModel();
  assert.equal(m.add(eventStream(0, 40)), true);
  assert.deepEqual(
    m.seriesOf('loss+ce').map((s) => s.key),
    ['loss', ...LANGS.map((l) => `ce:${l}`)],
  );
  assert.deepEqual(
    m.seriesOf('loss').map((s) => s.key),
    ['loss'],
  );
  assert.deepEqual(
    m.seriesOf('ce').map((s) => s.key),
    LANGS.map((l) => `ce:${l}`),
  );
  assert.deepEqual(
    m.seriesOf('align').map((s) => s.key),
    ['align:sw', 'align:te', 'align:zh'],
    'no alignment distance for the pivot',
  );
  assert.equal(m.loss.points.length, 40);
  assert.deepEqual(m.seriesOf('ce')[1].points[0], { step: 1, value: trainEvent(1).ce.sw });
  assert.deepEqual(m.seriesOf('align')[1].points[9], { step: 10, value: trainEvent(10).align.te });
  assert.deepEqual(
    m.evals.map((e) => e.step),
    [0, 20, 40],
  );
  assert.deepEqual(m.languages, LANGS);
  assert.equal(m.trainEvents.length, 40);
});

test('MetricsModel appends deltas; a repeated step (resume) replaces the later points and events', () => {
  const m = new MetricsModel();
  m.add(eventStream(0, 30));
  m.add(eventStream(25, 35)); // resumed from a checkpoint at 24
  const steps = Array.from({ length: 35 }, (_, i) => i + 1);
  assert.deepEqual(
    m.loss.points.map((p) => p.step),
    steps,
  );
  assert.deepEqual(
    m.seriesOf('align')[0].points.map((p) => p.step),
    steps,
  );
  assert.deepEqual(
    m.trainEvents.map((e) => e.step),
    steps,
  );
  assert.equal(m.add([{ kind: 'status', state: 'running' }]), false, 'a status event draws nothing');
});

test('a re-evaluated step replaces the earlier eval', () => {
  const m = new MetricsModel();
  m.add([evalEvent(0), evalEvent(20), evalEvent(40)]);
  m.add([{ ...evalEvent(40), accuracy: { en: 0.9 } }]);
  assert.deepEqual(m.evalAt(40)?.accuracy, { en: 0.9 });
  assert.deepEqual(
    m.evals.map((e) => e.step),
    [0, 20, 40],
  );
});

test('ema: 0 leaves values, debiased first value, converges to a constant', () => {
  assert.deepEqual(ema([1, 2, 3], 0), [1, 2, 3]);
  const s = ema([4, 4, 4, 4], 0.9);
  for (const v of s) assert.ok(Math.abs(v - 4) < 1e-12, `constant stays constant (${v})`);
  const [a, b] = ema([0, 10], 0.5);
  assert.equal(a, 0);
  assert.ok(Math.abs(b - 20 / 3) < 1e-12, `(0.5*0.5*0 + 0.5*10) / (1 - 0.25) = 6.67, got ${b}`);
  assert.ok(Number.isNaN(ema([1, Number.NaN, 1], 0.5)[1]), 'non-finite values pass through');
});

const train = (step: number, loss: number) => ({ ...trainEvent(step), loss });

test('EmaCache equals ema as a series grows, is resumed over earlier steps, or the weight changes', () => {
  const model = new MetricsModel();
  const cache = new EmaCache();
  const smooth = (w: number) => cache.values('loss', model.loss.points, w);
  const plain = (w: number) =>
    ema(
      model.loss.points.map((p) => p.value),
      w,
    );
  model.add([train(1, 5), train(2, 3), train(3, 4)]);
  assert.deepEqual(smooth(0.6), plain(0.6));
  const before = smooth(0.6);
  model.add([train(4, 2), train(5, Number.NaN), train(6, 1)]);
  assert.deepEqual(smooth(0.6), plain(0.6), 'extended');
  assert.equal(smooth(0.6), before, 'the same array, grown in place');
  model.add([train(3, 10), train(4, 9)]); // resumed from step 2: steps 3.. replaced
  assert.deepEqual(smooth(0.6), plain(0.6), 'a replaced tail is smoothed afresh');
  assert.deepEqual(smooth(0.9), plain(0.9), 'a new weight');
  assert.deepEqual(smooth(0), [5, 3, 10, 9]);
});

test('nearest finds the closest step by binary search', () => {
  const steps = [1, 2, 5, 10, 20];
  assert.equal(nearest(steps, 0), 0);
  assert.equal(nearest(steps, 4), 2);
  assert.equal(nearest(steps, 7.4), 2);
  assert.equal(nearest(steps, 8), 3);
  assert.equal(nearest(steps, 99), 4);
  assert.equal(nearest([3], 99), 0);
});
