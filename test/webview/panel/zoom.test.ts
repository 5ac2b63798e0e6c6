// Zoom on the x axis: the step range a drag selects, and which points a zoomed chart draws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brushToRange, invert, isRange, panBy, visibleSlice, zoomBy } from '../../../webview/panel/zoom';

// An axis showing steps 0..100 over the pixels 50..450 (4 px a step).
const domain: [number, number] = [0, 100];
const range: [number, number] = [50, 450];

test('invert maps a pixel back to its value, the inverse of a linear scale', () => {
  assert.equal(invert(50, domain, range), 0);
  assert.equal(invert(450, domain, range), 100);
  assert.equal(invert(250, domain, range), 50);
  assert.equal(invert(250, [10, 20], [450, 50]), 15, 'inverted ranges too');
});

test('a drag selects whole steps in either direction, clamped to the plot', () => {
  assert.deepEqual(brushToRange(130, 210, domain, range), [20, 40]);
  assert.deepEqual(brushToRange(210, 130, domain, range), [20, 40], 'right to left');
  assert.deepEqual(brushToRange(131, 209, domain, range), [20, 40], 'widened outward to whole steps');
  assert.deepEqual(brushToRange(0, 90, domain, range), [0, 10], 'starts left of the plot: clamped to its edge');
  assert.deepEqual(brushToRange(400, 999, domain, range), [87, 100]);
  assert.deepEqual(brushToRange(130, 210, [20, 40], range), [24, 28], 'inside a zoom: steps of the zoomed axis');
});

test('a click is no zoom; a drag inside one step shows that step', () => {
  assert.equal(brushToRange(130, 132, domain, range), null, 'under 4 px: a click');
  assert.deepEqual(brushToRange(130, 140, [10, 11], range), [10, 11], 'inside one step: that whole step');
  assert.equal(brushToRange(130, 140, [10, 10], range), null, 'a one-step axis: nothing narrower to show');
});

test('visibleSlice keeps the steps inside and one neighbour each side', () => {
  const steps = [1, 2, 3, 5, 8, 13, 21];
  assert.deepEqual(visibleSlice(steps, [3, 8]), [1, 6], '2 | 3 5 8 | 13');
  assert.deepEqual(visibleSlice(steps, [4, 7]), [2, 5], '3 | 5 | 8');
  assert.deepEqual(visibleSlice(steps, [0, 100]), [0, 7], 'everything');
  assert.deepEqual(visibleSlice(steps, [1, 1]), [0, 2]);
  assert.deepEqual(visibleSlice(steps, [30, 40]), [6, 7], 'past the end: the last point only');
  assert.deepEqual(visibleSlice([], [0, 1]), [0, 0]);
});

test('isRange accepts a saved zoom and refuses anything else', () => {
  assert.equal(isRange([20, 40]), true);
  for (const bad of [null, [40, 20], [20, 20], [20], [0, Number.NaN], ['0', '1'], { 0: 1, 1: 2 }]) {
    assert.equal(isRange(bad), false, JSON.stringify(bad));
  }
});

test('keyboard zoom: + halves the shown steps about their middle, − doubles them, up to every step', () => {
  const full: [number, number] = [1, 100];
  // Widened outward to whole steps, as a drag is.
  assert.deepEqual(zoomBy(full, full, 0.5), [25, 76]);
  assert.deepEqual(zoomBy([25, 76], full, 0.5), [37, 64]);
  assert.deepEqual(zoomBy([37, 64], full, 2), [23, 78]);
  assert.equal(zoomBy([23, 78], full, 2), null, 'wider than the data: no zoom (every step, following new ones)');
  assert.deepEqual(zoomBy([80, 100], full, 2), [60, 100], 'moved inside the data at its new width');
  assert.deepEqual(zoomBy([1, 11], full, 2), [1, 21]);
  assert.deepEqual(zoomBy([10, 11], full, 0.5), [10, 11], 'never narrower than one step');
  assert.deepEqual(zoomBy([99, 100], full, 0.5), [99, 100]);
});

test('keyboard pan moves the zoom by a share of its width and stops at the ends', () => {
  const full: [number, number] = [1, 100];
  assert.deepEqual(panBy([20, 40], full, 0.25), [25, 45]);
  assert.deepEqual(panBy([20, 40], full, -0.25), [15, 35]);
  assert.deepEqual(panBy([90, 98], full, 0.5), [92, 100], 'stops at the last step, same width');
  assert.deepEqual(panBy([2, 12], full, -0.5), [1, 11], 'stops at the first step');
  assert.deepEqual(panBy([20, 21], full, 0.1), [21, 22], 'at least one step');
  assert.equal(panBy(full, full, 0.25), null, 'nothing to pan when every step is shown');
});
