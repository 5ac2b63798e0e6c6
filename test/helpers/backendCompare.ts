// Shared by the wasm kernel tests (test/trainer/backend/wasm*.test.ts): every wasm
// result is compared with the cpu backend on the same random inputs; both backends live
// in one process and data moves between them as plain arrays (dataSync), so each side
// computes from identical float32 values.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { mulberry32 } from '../../trainer/numeric/rng';

export type BackendName = 'cpu' | 'wasm';

/** A tensor's value, detached from any backend. */
export interface Snap {
  shape: number[];
  dtype: tf.DataType;
  data: number[];
}

export const snap = (t: tf.Tensor): Snap => ({
  shape: t.shape.slice(),
  dtype: t.dtype,
  data: Array.from(t.dataSync()),
});
export const fromSnap = (s: Snap): tf.Tensor => tf.tensor(s.data, s.shape, s.dtype);

/** Deterministic inputs, so a failure reproduces. */
const rng = mulberry32(1234);
export function randSnap(shape: number[], lo = -1, hi = 1): Snap {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, dtype: 'float32', data: Array.from({ length: n }, () => lo + (hi - lo) * rng()) };
}
export function intSnap(shape: number[], lo: number, hiExclusive: number): Snap {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, dtype: 'int32', data: Array.from({ length: n }, () => lo + Math.floor((hiExclusive - lo) * rng())) };
}

/** Runs f on a backend with its inputs rebuilt there; returns detached outputs. */
export async function on(
  backend: BackendName,
  inputs: Snap[],
  f: (...xs: tf.Tensor[]) => tf.Tensor[],
): Promise<Snap[]> {
  assert.ok(await tf.setBackend(backend), `setBackend(${backend})`);
  let out: Snap[] = [];
  tf.tidy(() => {
    out = f(...inputs.map(fromSnap)).map(snap);
  });
  return out;
}

/** |actual - expected| <= tol * max(1, max|expected|), elementwise, same shape. */
export function assertClose(actual: Snap, expected: Snap, what: string, tol = 1e-4): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  // A loop, not Math.max(...data): a spread of 300k values overflows the call stack.
  const scale = expected.data.reduce((m, x) => Math.max(m, Math.abs(x)), 1);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.data.length; i++) {
    const d = Math.abs(actual.data[i] - expected.data[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
    }
  }
  assert.ok(
    worst <= tol * scale,
    `${what}: max |diff| ${worst} at ${at} (wasm ${actual.data[at]}, cpu ${expected.data[at]}), allowed ${tol * scale}`,
  );
}

/** Same computation on wasm and cpu; every output must match. */
export async function compare(
  what: string,
  inputs: Snap[],
  f: (...xs: tf.Tensor[]) => tf.Tensor[],
  tol = 1e-4,
): Promise<void> {
  const w = await on('wasm', inputs, f);
  const c = await on('cpu', inputs, f);
  assert.equal(w.length, c.length);
  w.forEach((s, i) => assertClose(s, c[i], `${what} [output ${i}]`, tol));
}

/** Value of sum(f(xs) * r) and its gradient w.r.t. every input; r is a fixed random weighting (a non-trivial dy). */
export function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, r: Snap): (...xs: tf.Tensor[]) => tf.Tensor[] {
  return (...xs) => {
    const weight = fromSnap(r);
    const loss = (...ys: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(f(...ys), weight));
    const { value, grads } = tf.valueAndGrads(loss)(xs);
    return [f(...xs), value, ...grads];
  };
}

export const TRANSPOSES: Array<[boolean, boolean]> = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
];

/** Operand shapes for a logical [...outer, M, K] @ [...outer, K, N] under the given transposes. */
export function operandShapes(
  outerA: number[],
  outerB: number[],
  M: number,
  K: number,
  N: number,
  ta: boolean,
  tb: boolean,
): [number[], number[]] {
  return [
    [...outerA, ...(ta ? [K, M] : [M, K])],
    [...outerB, ...(tb ? [N, K] : [K, N])],
  ];
}

// Shapes chosen to hit every route in the override: XNNPACK 2-D, batch folded
// into rows (b has batch 1), one XNNPACK call per batch slice (M*K*N >= 32^3),
// and small batches left on the original kernel. Sizes are odd on purpose.
export const MATMUL_CASES: Array<{
  name: string;
  outerA: number[];
  outerB: number[];
  M: number;
  K: number;
  N: number;
  grads: boolean;
}> = [
  { name: 'rank 2', outerA: [], outerB: [], M: 37, K: 29, N: 23, grads: true },
  { name: 'rank 2, vector-shaped', outerA: [], outerB: [], M: 1, K: 17, N: 9, grads: true },
  { name: 'rank 3 batched, split per slice', outerA: [3], outerB: [3], M: 40, K: 33, N: 31, grads: true },
  { name: 'rank 3 batched, small (original kernel)', outerA: [2], outerB: [2], M: 5, K: 7, N: 3, grads: true },
  { name: 'rank 4 batched (attention-like)', outerA: [2, 3], outerB: [2, 3], M: 33, K: 16, N: 65, grads: true },
  { name: 'broadcast rank 3 @ rank 2 (folded)', outerA: [4], outerB: [], M: 6, K: 8, N: 5, grads: false },
  { name: 'broadcast rank 4 @ rank 2 (folded)', outerA: [2, 3], outerB: [], M: 7, K: 9, N: 4, grads: false },
  { name: 'broadcast rank 2 @ rank 3 (split)', outerA: [], outerB: [3], M: 40, K: 33, N: 31, grads: false },
];

/**
 * [2, 1] @ [1, 3] batches (both operands broadcast) on wasm against numpy broadcasting.
 * tfjs's cpu kernel broadcasts by flat index modulo (out batch o uses a[o % batchA]), which
 * differs from numpy when both sides broadcast, so the reference tiles both operands first.
 */
export async function compareBothBroadcast(M: number, K: number, N: number, ta: boolean, tb: boolean): Promise<void> {
  const [sa, sb] = operandShapes([2, 1], [1, 3], M, K, N, ta, tb);
  const a = randSnap(sa);
  const b = randSnap(sb);
  const [wasm] = await on('wasm', [a, b], (x, y) => [tf.matMul(x, y, ta, tb)]);
  const [ref] = await on('cpu', [a, b], (x, y) => [
    tf.matMul(tf.tile(x, [1, 3, 1, 1]), tf.tile(y, [2, 1, 1, 1]), ta, tb),
  ]);
  assertClose(wasm, ref, 'broadcast matMul');
}
