// Zoom on the x axis: the step range a drag selects, and which points a zoomed chart draws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brushToRange, invert, isRange, visibleSlice } from '../../../webview/panel/zoom';

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
