import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeAccuracy, silhouetteCosine, stratifiedFolds } from '../../../trainer/eval/separability';

const v = (...xs: number[]): Float32Array => Float32Array.from(xs);

/** Seeded PRNG + Box-Muller so the random tests are reproducible. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 1) / 4294967297;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function cloud(n: number, dim: number, centre: number[], spread: number, next: () => number): Float32Array[] {
  return Array.from({ length: n }, () =>
    Float32Array.from({ length: dim }, (_, d) => (centre[d] ?? 0) + spread * next()),
  );
}

test('silhouetteCosine: hand-computed 4-point example', () => {
  // A1=(1,0), A2=(0.8,0.6) in cluster A; B1=(0,1), B2=(-0.6,0.8) in cluster B (all unit vectors).
  // Cosines: A1·A2=0.8, B1·B2=0.8, A1·B1=0, A1·B2=-0.6, A2·B1=0.6, A2·B2=0.
  // Distances 1-cos: d(A1,A2)=0.2, d(B1,B2)=0.2, d(A1,B1)=1, d(A1,B2)=1.6, d(A2,B1)=0.4, d(A2,B2)=1.
  // s(A1): a=0.2, b=(1+1.6)/2=1.3 -> (1.3-0.2)/1.3 = 11/13
  // s(A2): a=0.2, b=(0.4+1)/2=0.7 -> (0.7-0.2)/0.7 = 5/7
  // s(B1): a=0.2, b=(1+0.4)/2=0.7 -> 5/7;  s(B2): a=0.2, b=(1.6+1)/2=1.3 -> 11/13
  // mean = (11/13 + 5/7) / 2 = 71/91 ≈ 0.78022
  const points = [v(1, 0), v(0.8, 0.6), v(0, 1), v(-0.6, 0.8)];
  const s = silhouetteCosine(points, ['A', 'A', 'B', 'B']);
  assert.ok(Math.abs(s - 71 / 91) < 1e-6, `got ${s}`);
});

test('silhouetteCosine: single-member cluster scores 0 (as sklearn)', () => {
  // A1=(1,0), A2=(0,1): d=1. B=(1,1)/√2: d(A1,B)=d(A2,B)=1-1/√2.
  // s(A1) = s(A2) = (b-a)/max(a,b) = ((1-1/√2) - 1) / 1 = -1/√2; s(B) = 0 (alone).
  // mean = (2 * -1/√2 + 0) / 3 = -√2/3 ≈ -0.4714
  const s = silhouetteCosine([v(1, 0), v(0, 1), v(1, 1)], ['A', 'A', 'B']);
  assert.ok(Math.abs(s - -Math.SQRT2 / 3) < 1e-6, `got ${s}`);
});

test('silhouetteCosine: scale invariant; well separated -> near 1; mixed -> near 0', () => {
  const next = gaussian(1);
  const a = cloud(30, 8, [10, 0, 0, 0, 0, 0, 0, 0], 0.2, next);
  const b = cloud(30, 8, [0, 10, 0, 0, 0, 0, 0, 0], 0.2, next);
  const labels = [...a.map(() => 'en'), ...b.map(() => 'sw')];
  const sep = silhouetteCosine([...a, ...b], labels);
  assert.ok(sep > 0.9, `separated: ${sep}`);
  const scaled = silhouetteCosine(
    [...a, ...b].map((p) => p.map((x) => x * 7)),
    labels,
  );
  assert.ok(Math.abs(scaled - sep) < 1e-5, 'cosine distance ignores vector length');

  const mixed = cloud(60, 8, [], 1, next);
  const mixedLabels = mixed.map((_, i) => (i % 2 === 0 ? 'en' : 'sw'));
  const s = silhouetteCosine(mixed, mixedLabels);
  assert.ok(Math.abs(s) < 0.1, `mixed: ${s}`);
});

test('silhouetteCosine: rejects a single label and mismatched lengths', () => {
  assert.throws(() => silhouetteCosine([v(1, 0), v(0, 1)], ['A', 'A']), /two distinct labels/);
  assert.throws(() => silhouetteCosine([v(1, 0)], ['A', 'B']), /labels/);
});

test('probeAccuracy: tiny separable set, hand-checked chance', () => {
  // 3 'en' at x>0, 2 'sw' at x<0; y is constant (sd 0, so standardising must not divide by 0).
  // Every 2-fold split keeps both classes in each training fold, so the probe
  // learns sign(x) and gets all 5 right; chance = majority share = 3/5 = 0.6.
  // (No noise in y on purpose: with 2 training points per fold, standardising
  // would blow noise up to the same scale as the signal.)
  const points = [v(1, 0.5), v(1.2, 0.5), v(0.9, 0.5), v(-1, 0.5), v(-1.1, 0.5)];
  for (const seed of [0, 1, 2, 3]) {
    const r = probeAccuracy(points, ['en', 'en', 'en', 'sw', 'sw'], { folds: 2, seed });
    assert.equal(r.chance, 0.6);
    assert.equal(r.accuracy, 1, `seed ${seed}`);
  }
});

test('probeAccuracy: well separated clusters -> 1.0; deterministic by seed', () => {
  const next = gaussian(2);
  const langs = ['en', 'sw', 'th'];
  const points = langs.flatMap((_, c) => cloud(20, 6, [c === 0 ? 5 : 0, c === 1 ? 5 : 0, c === 2 ? 5 : 0], 0.5, next));
  const labels = langs.flatMap((l) => Array.from({ length: 20 }, () => l));
  const r = probeAccuracy(points, labels, { seed: 7 });
  assert.equal(r.accuracy, 1);
  assert.ok(Math.abs(r.chance - 1 / 3) < 1e-12);
  assert.deepEqual(probeAccuracy(points, labels, { seed: 7 }), r);
});

test('probeAccuracy: identical distributions -> near chance', () => {
  const next = gaussian(3);
  const points = cloud(200, 4, [], 1, next);
  const labels = points.map((_, i) => (i % 2 === 0 ? 'en' : 'sw'));
  const r = probeAccuracy(points, labels, { seed: 1 });
  assert.equal(r.chance, 0.5);
  assert.ok(Math.abs(r.accuracy - r.chance) < 0.1, `accuracy ${r.accuracy}`);
});

test('probeAccuracy: constant feature and standardisation do not break training', () => {
  // Feature 0 is constant (std 0), feature 1 carries the label at a tiny scale.
  const points = Array.from({ length: 12 }, (_, i) => v(5, (i < 6 ? -1 : 1) * 1e-3 * (1 + (i % 3))));
  const labels = points.map((_, i) => (i < 6 ? 'a' : 'b'));
  assert.equal(probeAccuracy(points, labels, { folds: 3 }).accuracy, 1);
});

test('silhouetteCosine: clusters of identical points at zero distance score 0, not NaN', () => {
  // Every distance is 0, so a = b = 0 and s(i) is defined as 0.
  const s = silhouetteCosine([v(1, 1), v(1, 1), v(2, 2), v(2, 2)], ['A', 'A', 'B', 'B']);
  assert.equal(s, 0);
});

test('stratifiedFolds: each fold gets its share of each class, and the deal is shuffled by the seed', () => {
  // 7 of class 0, 5 of class 1, 3 folds: class shares differ by at most one per fold.
  const y = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  const fold = stratifiedFolds(y, 2, 3, 0);
  for (const c of [0, 1]) {
    const perFold = [0, 1, 2].map((f) => [...y.keys()].filter((i) => y[i] === c && fold[i] === f).length);
    assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${c}: ${perFold}`);
  }
  const sizes = [0, 1, 2].map((f) => fold.filter((x) => x === f).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `fold sizes ${sizes}`);
  assert.deepEqual(stratifiedFolds(y, 2, 3, 0), fold, 'the same seed deals the same');
  // Over many seeds, each of 12 points of one class lands in each of 4 folds about equally
  // often (a deal in index order, or a biased shuffle, would not).
  const one = new Int32Array(12);
  const counts = Array.from({ length: 12 }, () => [0, 0, 0, 0]);
  for (let seed = 0; seed < 400; seed++) stratifiedFolds(one, 1, 4, seed).forEach((f, i) => counts[i][f]++);
  for (const [i, row] of counts.entries()) {
    for (const n of row) assert.ok(n > 60 && n < 140, `point ${i} per fold over 400 seeds: ${row}`);
  }
});

test('probeAccuracy: a noisy signal at a large offset and scale reaches the Bayes rate, not more', () => {
  // Feature 0: class mean -1 or +1 plus N(0, 1) noise, then x 1000 + 5000; features 1-3 are
  // noise at other scales. The best linear rule gets Phi(1) = 84% right; without
  // standardisation, or with a broken optimiser, the probe falls towards chance.
  const next = gaussian(11);
  const labels: string[] = [];
  const points: Float32Array[] = [];
  for (let i = 0; i < 240; i++) {
    const c = i % 2;
    labels.push(c === 0 ? 'en' : 'sw');
    points.push(v((c === 0 ? -1 : 1) * 1000 + 1000 * next() + 5000, 0.01 * next(), 300 * next() - 7, next()));
  }
  const r = probeAccuracy(points, labels, { seed: 3 });
  assert.equal(r.chance, 0.5);
  assert.ok(r.accuracy > 0.77 && r.accuracy < 0.91, `accuracy ${r.accuracy}`);
});

test('probeAccuracy: refuses what it cannot measure, naming why', () => {
  const two = [v(1, 0), v(0, 1), v(1, 1), v(0, 0)];
  assert.throws(() => probeAccuracy(two, ['a', 'b', 'a']), /4 points but 3 labels/);
  assert.throws(() => probeAccuracy(two, ['a', 'a', 'a', 'a']), /two distinct labels/);
  assert.throws(() => probeAccuracy(two, ['a', 'b', 'a', 'b'], { folds: 1 }), /two folds/);
  assert.throws(() => probeAccuracy(two, ['a', 'b', 'a', 'b'], { folds: 2.5 }), /two folds/);
  assert.throws(() => probeAccuracy([v(1, 0), v(1), v(0, 1), v(1, 1)], ['a', 'b', 'a', 'b']), /different dimensions/);
  // More folds than points: capped at the number of points (leave-one-out).
  assert.equal(probeAccuracy(two, ['a', 'b', 'a', 'b'], { folds: 50 }).chance, 0.5);
});
