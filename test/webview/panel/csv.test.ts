// Export CSV: a row per step with a train or eval event, a column per metric and language
// in a fixed order, empty cells where a step has no such figure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvalEvent } from '../../../protocol/metrics';
import { metricsCsv } from '../../../webview/panel/csv';
import { MetricsModel } from '../../../webview/panel/series';
import { evalEvent, eventStream, trainEvent } from '../../helpers/metricsFixture';

function parse(csv: string): { header: string[]; rows: Map<number, Record<string, string>> } {
  assert.ok(csv.endsWith('\n'), 'ends with a line break');
  const [head, ...lines] = csv.trimEnd().split('\n');
  const header = head.split(',');
  const rows = new Map<number, Record<string, string>>();
  for (const line of lines) {
    const cells = line.split(',');
    assert.equal(cells.length, header.length, `a cell per column: ${line}`);
    rows.set(Number(cells[0]), Object.fromEntries(header.map((c, i) => [c, cells[i]])));
  }
  return { header, rows };
}

test('one row per step, train and eval figures of a step in the same row', () => {
  const m = new MetricsModel();
  m.add(eventStream(0, 40));
  const { header, rows } = parse(metricsCsv(m.trainEvents, m.evals));
  assert.deepEqual(
    [...rows.keys()],
    Array.from({ length: 41 }, (_, i) => i),
    'steps 0..40 ascending',
  );
  assert.equal(rows.get(7)!.loss, String(trainEvent(7).loss), 'full precision');
  assert.equal(rows.get(7)!['ce:te'], String(trainEvent(7).ce.te));
  assert.equal(rows.get(7)!['align:zh'], String(trainEvent(7).align.zh));
  assert.equal(rows.get(7)!['accuracy:en'], '', 'no eval at step 7');
  assert.equal(rows.get(0)!.loss, '', 'step 0 is the base model: an eval, no training');
  const e20 = evalEvent(20);
  const r20 = rows.get(20)!;
  assert.equal(r20.loss, String(trainEvent(20).loss));
  assert.equal(r20['accuracy:sw'], String(e20.accuracy!.sw));
  assert.equal(r20['scored:te'], '40');
  assert.equal(r20['skipped.tooLong:te'], '2');
  assert.equal(r20['consistency:zh'], String(e20.consistency!.zh));
  assert.equal(r20.silhouette, String(e20.separability!.silhouette));
  assert.equal(r20.chance, '0.25');
  assert.equal(r20['similarity:en/sw'], String(e20.similarity!.matrix[0][1]));
  assert.equal(r20['softTokenSimilarity:te/zh'], String(e20.softTokenSimilarity!.matrix[2][3]));
  assert.equal(r20['layerSimilarity:2:sw'], String(e20.layerSimilarity![1].sw));
  assert.ok(!header.includes('similarity:sw/en') && !header.includes('similarity:en/en'), 'the upper triangle only');
  assert.ok(!header.includes('skipped.noRoom:te'), 'no column without a value');
});

test('columns in group order, languages sorted, layers numerically', () => {
  const e: EvalEvent = {
    kind: 'eval',
    step: 10,
    accuracy: { zh: 0.1, en: 0.5 },
    layerSimilarity: Array.from({ length: 11 }, () => ({ sw: 0.5 })),
  };
  const { header } = parse(metricsCsv([trainEvent(10)], [e]));
  assert.deepEqual(header.slice(0, 4), ['step', 'loss', 'lr', 'tokensPerSec']);
  assert.ok(header.indexOf('ce:en') < header.indexOf('ce:zh'));
  assert.ok(header.indexOf('align:zh') < header.indexOf('accuracy:en'), 'train figures before eval figures');
  assert.ok(header.indexOf('accuracy:en') < header.indexOf('accuracy:zh'));
  const layers = header.filter((c) => c.startsWith('layerSimilarity:'));
  assert.equal(layers[1], 'layerSimilarity:2:sw', 'layer 2 before layer 10');
  assert.equal(layers.at(-1), 'layerSimilarity:11:sw');
});

test('no events: a header with the step column only', () => {
  assert.equal(metricsCsv([], []), 'step\n');
});
