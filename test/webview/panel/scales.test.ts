// Scales, ticks and colours of the SVG charts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  extent,
  formatValue,
  linearScale,
  logScale,
  logTicks,
  niceTicks,
  seriesColour,
  viridis,
  viridisText,
} from '../../../webview/panel/scales';

test('linearScale maps the domain onto the range, inverted ranges too', () => {
  const y = linearScale([0, 10], [300, 0]);
  assert.equal(y(0), 300);
  assert.equal(y(10), 0);
  assert.equal(y(5), 150);
  assert.equal(linearScale([3, 3], [0, 100])(3), 50, 'a zero-width domain maps to the middle');
});

test('logScale spaces decades evenly and clamps non-positive values', () => {
  const y = logScale([1, 100], [0, 200]);
  assert.equal(y(1), 0);
  assert.ok(Math.abs(y(10) - 100) < 1e-9);
  assert.equal(y(100), 200);
  assert.equal(y(0), 0);
  assert.deepEqual(y.ticks(5), [1, 2, 5, 10, 20, 50, 100]);
});

test('niceTicks are 1-2-5 steps inside the domain', () => {
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(niceTicks(0.13, 0.61, 4), [0.2, 0.4, 0.6], 'at most `count` intervals, rounded without float dust');
  assert.deepEqual(niceTicks(1, 1, 5), [1]);
  assert.deepEqual(niceTicks(Number.NaN, 1, 5), []);
  assert.deepEqual(logTicks(2, 3), niceTicks(2, 3, 4), 'within a decade: linear ticks');
});

test('extent ignores non-finite values; empty is [0, 1]', () => {
  assert.deepEqual(extent([3, Number.NaN, -1, Number.POSITIVE_INFINITY, 2]), [-1, 3]);
  assert.deepEqual(extent([]), [0, 1]);
});

test('viridis is fixed: its ends, clamping, and readable text on each end', () => {
  assert.equal(viridis(0), 'rgb(68, 1, 84)');
  assert.equal(viridis(1), 'rgb(253, 231, 37)');
  assert.equal(viridis(-3), viridis(0));
  assert.equal(viridis(7), viridis(1));
  assert.equal(viridis(Number.NaN), viridis(0));
  assert.equal(viridisText(0.1), '#fff');
  assert.equal(viridisText(0.9), '#000');
});

test('series colours cycle the palette; values format compactly', () => {
  assert.equal(seriesColour(0), seriesColour(8));
  assert.notEqual(seriesColour(0), seriesColour(1));
  assert.equal(formatValue(1.23456), '1.23');
  assert.equal(formatValue(1500), '1500');
  assert.equal(formatValue(0.0001234), '1.23e-4');
});
