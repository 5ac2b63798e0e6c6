// The `solar eval` table explains every empty cell: skipped items per language and why,
// a pivot the data lacks, languages left out, languages the run was not trained on.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatEvalTable } from '../../../trainer/cli/evalTable';
import type { EvalMetrics } from '../../../trainer/eval/evaluate';

const row = (table: string, lang: string) =>
  table.split('\n').find((l) => l.startsWith(`${lang} `) || l.startsWith(`${lang}*`) || l.startsWith(`${lang}+`)) ?? '';

test('skipped items: counts per language and reason, and what accuracy is over', () => {
  const m: EvalMetrics = {
    accuracy: { en: 0.5 },
    accuracyMean: 0.5,
    scored: { en: 2, te: 0 },
    skipped: { en: { noRoom: 1 }, te: { tooLong: 3 } },
    similarity: { languages: ['en'], matrix: [[1]] },
    items: 3,
    seconds: 1,
  };
  const t = formatEvalTable(m, { pivot: 'en', lowResource: ['te'], maxSeqLen: 192 });
  assert.match(row(t, 'en'), /50\.0% +2\/3 .*1 no room$/);
  assert.match(row(t, 'te*'), /- +0\/3 .*3 too long$/);
  assert.match(t, /skipped items are not scored, and accuracy is over the scored ones/);
  assert.match(t, /context of 192 tokens \(bytes\)/);
});

test('no pivot in the data: the empty pivot columns are explained', () => {
  const m: EvalMetrics = {
    accuracy: { sw: 0.5, et: 0.5 },
    accuracyMean: 0.5,
    scored: { sw: 2, et: 2 },
    similarity: {
      languages: ['sw', 'et'],
      matrix: [
        [1, 0.2],
        [0.2, 1],
      ],
    },
    items: 2,
    seconds: 1,
  };
  const t = formatEvalTable(m, { pivot: 'en', lowResource: [], maxSeqLen: 128 });
  assert.match(
    t,
    /no en \(pivot\) in this evaluation \(not in the data\): sim\(en\), soft\(en\) and consistency compare each language with the pivot/,
  );
  assert.doesNotMatch(t, /skipped items/);
});

test('every pivot item skipped, languages left out, untrained languages', () => {
  const m: EvalMetrics = {
    accuracy: { fr: 0 },
    accuracyMean: 0,
    scored: { en: 0, fr: 1 },
    skipped: { en: { tooLong: 1 } },
    similarity: { languages: ['fr'], matrix: [[1]] },
    items: 1,
    seconds: 1,
  };
  const t = formatEvalTable(m, {
    pivot: 'en',
    lowResource: [],
    maxSeqLen: 64,
    trained: ['en', 'sw'],
    notEvaluated: { xx: 'not in d.jsonl' },
  });
  assert.match(t, /every en \(pivot\) item was skipped: sim\(en\), soft\(en\) and consistency are empty/);
  assert.match(t, /not evaluated: xx \(not in d\.jsonl\)/);
  assert.match(row(t, 'fr+'), /1\/1/);
  assert.match(t, /\+ not among the run's training languages/);
});

test('an event from before the skip counts still prints', () => {
  const t = formatEvalTable(
    { accuracy: { en: 1 }, accuracyMean: 1, items: 1, seconds: 1 },
    { pivot: 'en', lowResource: [], maxSeqLen: 64 },
  );
  assert.match(row(t, 'en'), /^en +100\.0% +- /);
});
