// The grid's scores without a DOM: matched to rows by id, stale when the row's line hash
// is not the one scored, score columns per language, and sorting weakest first with rows
// that have no figure last; the sort survives a page reload only in a valid shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetRows } from '../../../extension/datasetEditor/datasetRows';
import type { DatasetScores } from '../../../protocol/datasetScores';
import { itemHash } from '../../../protocol/datasetScoresFile';
import { nextSort, ScoreModel } from '../../../webview/dataset/scoreModel';
import { loadViewState } from '../../../webview/dataset/viewState';

const item = (id: string) =>
  JSON.stringify({ id, answer: '1', langs: { en: { prompt: `${id} en` }, sw: { prompt: `${id} sw` } } });
const LINES = [item('a'), item('b'), item('c'), '', item('__proto__')];

function scores(lines: string[]): DatasetScores {
  const sw = [0.2, 0.5, undefined];
  return {
    kind: 'datasetScores',
    version: 1,
    data: { file: '/f.parallel.jsonl', hash: 'b'.repeat(64), items: 3 },
    run: { dir: '/r', name: 'r', checkpoint: '/r/ck', step: 1 },
    pivot: 'en',
    languages: ['en', 'sw'],
    settings: { tau: 1, topK: 0, pool: 'all', maxSeqLen: 64 },
    scoredAt: '2026-01-01T00:00:00.000Z',
    items: ['a', 'b', 'c'].map((id, k) => ({
      id,
      line: k + 1,
      hash: itemHash(lines[k]),
      langs: {
        en: { distanceSkipped: 'pivot' as const, lossSkipped: 'noResponse' as const },
        sw:
          sw[k] === undefined
            ? { distanceSkipped: 'tooLong' as const, lossSkipped: 'noResponse' as const }
            : { distance: sw[k], lossSkipped: 'noResponse' as const },
      },
    })),
  };
}

test('scores match rows by id; an edited line is stale; an item scored without a language has no cell', () => {
  const m = new ScoreModel();
  const rows = new DatasetRows('en').reset(LINES).rows;
  assert.equal(m.of(rows[0], 'sw'), undefined, 'no scores loaded');
  m.set(scores(LINES));
  assert.deepEqual(m.metrics('en'), ['loss']);
  assert.deepEqual(m.metrics('sw'), ['distance', 'loss']);
  assert.deepEqual(m.metrics('yo'), [], 'a language not scored has no columns');
  assert.deepEqual(m.of(rows[1], 'sw'), { score: { distance: 0.5, lossSkipped: 'noResponse' }, stale: false });
  assert.equal(m.of(rows[4], 'sw'), undefined, 'an id like __proto__ is only ever its own item');
  assert.equal(m.of(rows[3], 'sw'), undefined, 'a blank line');
  assert.deepEqual(m.counts(rows), { stale: 0, unscored: 1 });

  const edited = [...LINES];
  edited[1] = edited[1].replace('b sw', 'b sw, edited');
  const after = new DatasetRows('en').reset(edited).rows;
  assert.equal(m.of(after[1], 'sw')?.stale, true);
  assert.equal(m.of(after[0], 'sw')?.stale, false);
  assert.deepEqual(m.counts(after), { stale: 1, unscored: 1 });
  m.set(null);
  assert.deepEqual(m.metrics('sw'), []);
});

test('sorting by a score column: largest first or last, rows without a figure at the end, ties in line order', () => {
  const m = new ScoreModel();
  m.set(scores(LINES));
  const rows = new DatasetRows('en').reset(LINES).rows;
  const visible = [0, 1, 2, 4];
  assert.deepEqual(m.sort(visible, rows, { lang: 'sw', metric: 'distance', descending: true }), [1, 0, 2, 4]);
  assert.deepEqual(m.sort(visible, rows, { lang: 'sw', metric: 'distance', descending: false }), [0, 1, 2, 4]);
  assert.deepEqual(m.sort(visible, rows, { lang: 'sw', metric: 'loss', descending: true }), visible, 'no figures');
  assert.deepEqual(
    m.sort([2, 1], rows, { lang: 'sw', metric: 'distance', descending: true }),
    [1, 2],
    'only the visible',
  );
});

test('a header click cycles largest first, smallest first, file order; a saved sort is read back only when valid', () => {
  const first = nextSort(null, 'sw', 'distance');
  assert.deepEqual(first, { lang: 'sw', metric: 'distance', descending: true });
  const second = nextSort(first, 'sw', 'distance');
  assert.deepEqual(second, { lang: 'sw', metric: 'distance', descending: false });
  assert.equal(nextSort(second, 'sw', 'distance'), null);
  assert.deepEqual(nextSort(second, 'sw', 'loss'), { lang: 'sw', metric: 'loss', descending: true });
  assert.deepEqual(loadViewState({ sort: { lang: 'sw', metric: 'loss', descending: false } }).sort, {
    lang: 'sw',
    metric: 'loss',
    descending: false,
  });
  assert.equal(loadViewState({ sort: { lang: 'sw', metric: 'accuracy' } }).sort, null);
  assert.equal(loadViewState({}).sort, null);
});
