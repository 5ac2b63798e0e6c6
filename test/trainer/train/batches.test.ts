// Batches: rows of parallel items with their pivots, and a data order that is a pure
// function of (seed, step) so a resumed run sees the same batches. The masks are checked
// against an independent layout in test/trainer/model/parity.test.ts and objective.test.ts.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { batchIndices, makeBatch } from '../../../trainer/train/batches';
import { sampleItems } from '../../helpers/fixtures';

test('data order: each epoch is a permutation of all items, steps continue across epochs', () => {
  const n = 7;
  const bs = 3;
  // Steps 1..7 take 21 items: three epochs of 7, the 3rd epoch's first batch straddling.
  const flat = Array.from({ length: 7 }, (_, s) => batchIndices(n, bs, 42, s + 1)).flat();
  for (let e = 0; e < 3; e++)
    assert.deepEqual([...flat.slice(e * n, (e + 1) * n)].sort(), [0, 1, 2, 3, 4, 5, 6], `epoch ${e}`);
  assert.notDeepEqual(flat.slice(0, n), flat.slice(n, 2 * n), 'each epoch is shuffled afresh');
  assert.deepEqual(batchIndices(n, bs, 42, 5), flat.slice(12, 15), 'a step alone (as on resume) gives the same items');
  assert.notDeepEqual(
    batchIndices(n, bs, 43, 1).concat(batchIndices(n, bs, 43, 2)),
    flat.slice(0, 6),
    'the seed matters',
  );
});

test('rows: one per language the item has, in the configured order, each knowing its pivot row', () => {
  const b = makeBatch(sampleItems(), { languages: ['sw', 'en', 'te'], pivot: 'en', maxSeqLen: 64, pool: 'response' });
  // a1 has en sw te, a2 en sw, a3 en te.
  assert.deepEqual(b.rowLang, ['sw', 'en', 'te', 'sw', 'en', 'en', 'te']);
  assert.deepEqual(b.rowItem, [0, 0, 0, 1, 1, 2, 2]);
  assert.deepEqual(Array.from(b.pivotRow), [1, 1, 1, 4, 4, 5, 5]);
  const noPivot = makeBatch([sampleItems()[0]], {
    languages: ['sw', 'te'],
    pivot: 'en',
    maxSeqLen: 64,
    pool: 'response',
  });
  assert.deepEqual(Array.from(noPivot.pivotRow), [-1, -1]);
  // tokens counts every real token of every row (for tokens/s), padding excluded.
  const lengths = b.rowLang.map((_, r) => b.ids.subarray(r * b.T, (r + 1) * b.T).filter((id) => id !== 256).length + 1);
  assert.equal(
    b.tokens,
    lengths.reduce((a, x) => a + x, 0),
  );
});
