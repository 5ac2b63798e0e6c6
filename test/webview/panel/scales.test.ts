// Scales, ticks and colours of the SVG charts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** WCAG contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('every series colour has 3:1 against the background: as is on dark themes, through panel.css on light ones', () => {
  const css = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'media', 'panel.css'), 'utf8');
  const light = (colour: string, attr: 'stroke' | 'fill') => {
    const rule = new RegExp(
      `:is\\(body\\.vscode-light, body\\.vscode-high-contrast-light\\) \\[${attr}='${colour}'\\] \\{ ${attr}: (#[0-9A-F]{6}); \\}`,
    );
    return rule.exec(css)?.[1];
  };
  const palette = Array.from({ length: 8 }, (_, i) => seriesColour(i));
  for (const c of palette) {
    // Dark+ editor background, and high-contrast black.
    for (const bg of ['#1F1F1F', '#000000']) assert.ok(contrast(c, bg) >= 3, `${c} on ${bg}: ${contrast(c, bg)}`);
    const stroke = light(c, 'stroke');
    assert.equal(stroke, light(c, 'fill'), `${c}: lines and fills alike`);
    const shown = stroke ?? c;
    assert.ok(contrast(shown, '#FFFFFF') >= 3, `${c} drawn as ${shown} on white: ${contrast(shown, '#FFFFFF')}`);
    if (stroke) assert.ok(contrast(c, '#FFFFFF') < 3, `${c} needs no override`);
  }
  const drawnLight = palette.map((c) => light(c, 'stroke') ?? c);
  assert.equal(new Set(drawnLight).size, 8, 'still eight colours');
});
