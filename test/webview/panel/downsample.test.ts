// Drawing a long series: a few points per pixel column, spikes and ends kept, x in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minMaxIndices } from '../../../webview/panel/downsample';

/** A noisy series at steps 0..n-1 with spikes. */
function series(n: number, spikes: Record<number, number> = {}) {
  const steps = Array.from({ length: n }, (_, k) => k);
  const values = Array.from({ length: n }, (_, k) => spikes[k] ?? 2 + Math.sin(k * 1.3) * 0.1);
  return { steps, values };
}

test('a long series keeps at most four points per column, ascending, with both ends', () => {
  const n = 100_000;
  const { steps, values } = series(n);
  const picked = minMaxIndices(steps, values, 0, n, 0, 650 / n);
  assert.ok(picked.length <= 4 * 650, `${picked.length} points for 650 columns`);
  assert.ok(picked.length > 2 * 650, 'every column drawn');
  assert.equal(picked[0], 0, 'first point kept');
  assert.equal(picked.at(-1), n - 1, 'last point kept');
  for (let i = 1; i < picked.length; i++) assert.ok(picked[i] > picked[i - 1], `ascending at ${i}`);
});

test('spikes up and down survive, and each column keeps its lowest and highest value', () => {
  const n = 50_000;
  const { steps, values } = series(n, { 12345: 40, 30001: -7, 49998: 9 });
  const perUnit = 500 / n;
  const picked = minMaxIndices(steps, values, 0, n, 0, perUnit);
  for (const k of [12_345, 30_001, 49_998]) assert.ok(picked.includes(k), `spike at ${k} kept`);
  // Per column, the extremes of the kept points are the extremes of all points.
  const cols = new Map<number, { all: number[]; kept: number[] }>();
  const col = (k: number) => Math.floor(k * perUnit);
  for (let k = 0; k < n; k++) {
    if (!cols.has(col(k))) cols.set(col(k), { all: [], kept: [] });
    cols.get(col(k))!.all.push(values[k]);
  }
  for (const k of picked) cols.get(col(k))!.kept.push(values[k]);
  assert.equal(cols.size, 500);
  for (const [c, { all, kept }] of cols) {
    assert.equal(Math.max(...kept), Math.max(...all), `column ${c} max`);
    assert.equal(Math.min(...kept), Math.min(...all), `column ${c} min`);
  }
});

test('a range inside the series: only its indices, its ends kept; short series come back whole', () => {
  const n = 20_000;
  const { steps, values } = series(n);
  const perUnit = 0.01; // 200 columns for the whole series
  const picked = minMaxIndices(steps, values, 5_000, 15_000, 0, perUnit);
  assert.equal(picked[0], 5_000);
  assert.equal(picked.at(-1), 14_999);
  assert.ok(picked.every((k) => k >= 5_000 && k < 15_000));
  assert.ok(picked.length <= 4 * 101);
  assert.deepEqual(minMaxIndices(steps, values, 3, 9, 0, 1), [3, 4, 5, 6, 7, 8], 'a point per column: every one');
  const squeezed = minMaxIndices(steps, values, 3, 9, 0, perUnit);
  assert.ok(squeezed.length <= 4 && squeezed[0] === 3 && squeezed.at(-1) === 8, 'six points in one column');
  assert.deepEqual(minMaxIndices(steps, values, 4, 4, 0, 1), [], 'an empty range');
  assert.equal(minMaxIndices(steps, values, 0, 300, 0, 0.5).length, 300, 'two points per column: every one');
});

test("NaN values do not hide a column's extremes", () => {
  const cycle = [Number.NaN, 1, 5, Number.NaN, -2, 3];
  const steps = Array.from({ length: 600 }, (_, k) => k);
  const values = steps.map((k) => cycle[k % 6]);
  const picked = minMaxIndices(steps, values, 0, 600, 0, 0.01);
  // Column 0 holds k 0..99: its lowest is -2 (k = 4) and highest 5 (k = 2).
  assert.ok(picked.includes(2) && picked.includes(4), String(picked.slice(0, 6)));
});
