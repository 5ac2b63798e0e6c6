// Re-score on save asks how many items of the saved text the scores do not cover: new and
// edited lines count, unchanged ones (whitespace around them and CRLF aside) and blank
// lines do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DatasetScores } from '../../protocol/datasetScores';
import { itemHash, unscoredItems } from '../../protocol/datasetScoresFile';

const item = (id: string, prompt = `${id} en`) => JSON.stringify({ id, answer: '1', langs: { en: { prompt } } });

function scoresOf(lines: string[]): DatasetScores {
  return {
    kind: 'datasetScores',
    version: 1,
    data: { file: '/f.parallel.jsonl', hash: 'b'.repeat(64), items: lines.length },
    run: { dir: '/r', name: 'r', checkpoint: '/r/ck', step: 1 },
    pivot: 'en',
    languages: ['en'],
    settings: { tau: 1, topK: 0, pool: 'all', maxSeqLen: 64 },
    scoredAt: '2026-01-01T00:00:00.000Z',
    items: lines.map((l, k) => ({
      id: `i${k}`,
      line: k + 1,
      hash: itemHash(l),
      langs: { en: { distanceSkipped: 'pivot' as const, lossSkipped: 'noResponse' as const } },
    })),
  };
}

test('only new and edited items are unscored', () => {
  const lines = [item('a'), item('b'), item('c')];
  const scores = scoresOf(lines);
  assert.equal(unscoredItems(scores, `${lines.join('\n')}\n`), 0, 'the scored text');
  assert.equal(unscoredItems(scores, `${lines.join('\r\n')}\r\n\n  \n`), 0, 'CRLF and blank lines');
  const edited = [item('a'), item('b', 'b edited'), item('c'), item('d')];
  assert.equal(unscoredItems(scores, edited.join('\n')), 2, 'one edited, one added');
  assert.equal(unscoredItems(scores, [item('c'), item('a')].join('\n')), 0, 'moved or deleted lines need nothing');
});
