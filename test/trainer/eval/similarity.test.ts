import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consistency } from '../../../trainer/eval/consistency';
import { cosine, meanPool, similarityMatrix } from '../../../trainer/eval/similarity';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);
const close = (a: number, b: number, msg?: string): void =>
  assert.ok(Math.abs(a - b) < 1e-6, `${msg ?? ''} ${a} vs ${b}`);

test('cosine: known values', () => {
  close(cosine(v(1, 0), v(0, 1)), 0);
  close(cosine(v(1, 0), v(2, 0)), 1);
  close(cosine(v(1, 0), v(-3, 0)), -1);
  close(cosine(v(1, 1), v(1, 0)), Math.SQRT1_2);
  close(cosine(v(3, 4), v(4, 3)), 24 / 25);
  assert.equal(cosine(v(0, 0), v(1, 0)), 0, 'zero vector has no direction');
  assert.throws(() => cosine(v(1), v(1, 2)), /lengths/);
});

test('meanPool: element-wise mean', () => {
  assert.deepEqual([...meanPool([v(1, 2), v(3, 6)])], [2, 4]);
  assert.throws(() => meanPool([]), /no rows/);
  assert.throws(() => meanPool([v(1), v(1, 2)]), /length/);
});

test('similarityMatrix: symmetric, unit diagonal, known cells, missing items skipped', () => {
  // Item 0: en=(1,0) sw=(1,0) th=(0,1); item 1: en=(1,1) sw=(1,0) th missing.
  // en-sw: mean(cos((1,0),(1,0)), cos((1,1),(1,0))) = (1 + 1/√2) / 2
  // en-th: only item 0: cos((1,0),(0,1)) = 0;  sw-th: only item 0: 0
  const byLang = new Map<string, (Float32Array | null)[]>([
    ['en', [v(1, 0), v(1, 1)]],
    ['sw', [v(1, 0), v(1, 0)]],
    ['th', [v(0, 1), null]],
  ]);
  const { languages, matrix } = similarityMatrix(byLang, ['en', 'sw', 'th']);
  assert.deepEqual(languages, ['en', 'sw', 'th']);
  for (let i = 0; i < 3; i++) {
    assert.equal(matrix[i][i], 1);
    for (let j = 0; j < 3; j++) assert.equal(matrix[i][j], matrix[j][i]);
  }
  close(matrix[0][1], (1 + Math.SQRT1_2) / 2, 'en-sw');
  close(matrix[0][2], 0, 'en-th');
  close(matrix[1][2], 0, 'sw-th');
});

test('similarityMatrix: a pair with no shared item is NaN; misaligned lengths and unknown languages throw', () => {
  const byLang = new Map<string, (Float32Array | null)[]>([
    ['en', [v(1, 0), null]],
    ['sw', [null, v(1, 0)]],
  ]);
  assert.ok(Number.isNaN(similarityMatrix(byLang, ['en', 'sw']).matrix[0][1]));
  assert.throws(() => similarityMatrix(byLang, ['en', 'fr']), /no vectors for language "fr"/);
  const bad = new Map<string, Float32Array[]>([
    ['en', [v(1)]],
    ['sw', [v(1), v(1)]],
  ]);
  assert.throws(() => similarityMatrix(bad, ['en', 'sw']), /aligned by index/);
});

test('consistency: hand example', () => {
  const gold = ['1', '2', '3', '4', '5'];
  const answers = new Map<string, (string | null | undefined)[]>([
    //      item:  1     2     3     4      5
    ['en', ['1', '2', '9', '4', undefined]],
    ['sw', ['1.0', '7', '9', null, '5']],
    ['th', ['8', '8', '8', '8', '8']],
  ]);
  const r = consistency(answers, gold, 'en');
  assert.deepEqual(Object.keys(r), ['sw', 'th']);
  // sw vs en over items 1-4 (item 5 has no en): same on 1 ("1.0" = "1") and 3 ("9") -> 2/4.
  // correct: en on 1,2,4; sw on 1. both = {1}, either = {1,2,4} -> 1/3.
  assert.equal(r.sw.items, 4);
  close(r.sw.sameAnswer, 0.5);
  close(r.sw.correctBothOverEither, 1 / 3);
  // th: never equal to en and never right; either = {1,2,4} from en, both = {} -> 0.
  assert.equal(r.th.items, 4);
  assert.equal(r.th.sameAnswer, 0);
  assert.equal(r.th.correctBothOverEither, 0);
});

test('consistency: neither correct -> 0, missing pivot throws', () => {
  const r = consistency(
    new Map([
      ['en', ['x']],
      ['sw', ['x']],
    ]),
    ['y'],
    'en',
  );
  assert.equal(r.sw.sameAnswer, 1);
  assert.equal(r.sw.correctBothOverEither, 0);
  assert.throws(() => consistency(new Map([['sw', ['1']]]), ['1'], 'en'), /pivot/);
});

test('similarityMatrix: no languages gives an empty matrix', () => {
  assert.deepEqual(similarityMatrix(new Map(), []), { languages: [], matrix: [] });
});

test('consistency: a failed extraction (null) is present and wrong; absent items are left out', () => {
  const gold = ['1', '2', '3'];
  const r = consistency(
    new Map<string, (string | null | undefined)[]>([
      ['en', [null, '2', '3']],
      ['sw', [null, null, undefined]],
      ['te', ['1']], // a short list: the missing trailing items are absent
    ]),
    gold,
    'en',
  );
  // sw: items 1 and 2 are present; two nulls never agree, and a null is never right.
  assert.equal(r.sw.items, 2);
  assert.equal(r.sw.sameAnswer, 0);
  assert.equal(r.sw.correctBothOverEither, 0);
  // te: only item 1, where en failed to answer and te is right: either = 1, both = 0.
  assert.equal(r.te.items, 1);
  assert.equal(r.te.sameAnswer, 0);
  assert.equal(r.te.correctBothOverEither, 0);
  // A language with no item in common with the pivot: 0 items, 0 (not NaN).
  const none = consistency(
    new Map<string, (string | null | undefined)[]>([
      ['en', ['1', undefined]],
      ['yo', [undefined, '2']],
    ]),
    ['1', '2'],
    'en',
  );
  assert.deepEqual(none.yo, { items: 0, sameAnswer: 0, correctBothOverEither: 0 });
});

test('consistency: answers for more items than there are gold answers are an error naming the language', () => {
  assert.throws(
    () =>
      consistency(
        new Map([
          ['en', ['1']],
          ['sw', ['1', '2']],
        ]),
        ['1'],
        'en',
      ),
    /"sw" has 2 answers for 1 gold items/,
  );
});

test('consistency: answers agree as numbers or as trimmed text', () => {
  const r = consistency(
    new Map([
      ['en', ['7', 'B ', 'x']],
      ['sw', ['7.0', ' B', 'y']],
    ]),
    ['7', 'B', 'z'],
    'en',
  );
  assert.equal(r.sw.sameAnswer, 2 / 3);
  assert.equal(r.sw.correctBothOverEither, 1);
});
