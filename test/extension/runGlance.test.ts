// The sidebar's glance at a run on a real run folder: the loss read incrementally (a
// resumed run's repeated steps replaced), thinned to a bounded number of bucket means,
// and the latest evaluation's headline figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GLANCE_POINTS, RunGlanceFollower, thin } from '../../extension/runGlance';
import { appendEvent } from '../../protocol/runFolder';
import { tempDir } from '../helpers/helpers';
import { evalEvent, eventStream, trainEvent } from '../helpers/metricsFixture';

test('no events yet: no glance; then the loss and the latest eval, read incrementally', () => {
  const dir = tempDir();
  const g = new RunGlanceFollower(dir);
  assert.equal(g.poll(), false);
  assert.equal(g.glance(), undefined);
  for (const e of eventStream(0, 40)) appendEvent(dir, e);
  assert.equal(g.poll(), true);
  let glance = g.glance()!;
  assert.equal(glance.loss.length, 40);
  assert.deepEqual(glance.loss[0], { step: 1, value: trainEvent(1).loss });
  assert.equal(glance.lastEval?.step, 40);
  assert.equal(glance.lastEval?.accuracyMean, evalEvent(40).accuracyMean);
  assert.deepEqual(glance.lastEval?.similarity, evalEvent(40).similarity);
  assert.equal(g.poll(), false, 'nothing new');

  // A resumed run repeats steps 31..45: the later values replace, steps stay ascending.
  for (let s = 31; s <= 45; s++) appendEvent(dir, { ...trainEvent(s), loss: 100 + s });
  assert.equal(g.poll(), true);
  glance = g.glance()!;
  assert.equal(glance.loss.length, 45);
  assert.deepEqual(glance.loss.at(-1), { step: 45, value: 145 });
  assert.deepEqual(glance.loss[30], { step: 31, value: 131 });
  assert.equal(glance.lastEval?.step, 40, 'the last eval stays');
});

test('a long run is thinned to bucket means, at most GLANCE_POINTS points', () => {
  const steps = [...Array(1000).keys()].map((i) => i + 1);
  const out = thin(
    steps,
    steps.map((s) => s * 2),
    GLANCE_POINTS,
  );
  assert.equal(out.length, GLANCE_POINTS);
  // 1000 points in 150 buckets of 6 or 7: each point is its bucket's mean, value = 2 * step.
  for (const p of out) assert.ok(Math.abs(p.value - 2 * p.step) < 1e-9);
  assert.ok(out[0].step < 5 && out.at(-1)!.step > 995);
  for (let i = 1; i < out.length; i++) assert.ok(out[i].step > out[i - 1].step);
  assert.deepEqual(thin([1, 2, 3], [5, Number.NaN, 4], 10), [
    { step: 1, value: 5 },
    { step: 3, value: 4 },
  ]);
  assert.deepEqual(thin([1, 2, 3, 4], [1, 3, Number.NaN, 8], 2), [
    { step: 1.5, value: 2 },
    { step: 4, value: 8 },
  ]);
});
