// Finite-difference gradient checks on model weights (float32 tfjs variables).
import * as tf from '@tensorflow/tfjs-core';

/**
 * Central difference (f(w + h e_i) - f(w - h e_i)) / 2h of a scalar function of the
 * weights along entry i of `v`; v is restored afterwards. Error O(h^2) plus the noise of
 * f over h, so f should be computed in float64 from float32 activations.
 */
export function centralDifference(v: tf.Variable, i: number, h: number, f: () => number): number {
  const base = v.dataSync().slice();
  const at = (delta: number) => {
    const w = base.slice();
    w[i] += delta;
    v.assign(tf.tensor(w, v.shape));
    return f();
  };
  // The step actually taken in float32 (w + h rounds), so the quotient is not biased by rounding.
  const up = Math.fround(base[i] + h) - base[i];
  const down = base[i] - Math.fround(base[i] - h);
  const fd = (at(up) - at(-down)) / (up + down);
  v.assign(tf.tensor(base, v.shape));
  return fd;
}

/** Indices of the n entries of g largest in magnitude: where a gradient is big enough to check in float32. */
export function largestEntries(g: ArrayLike<number>, n: number): number[] {
  return Array.from(g, (x, i) => [Math.abs(x), i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, n)
    .map(([, i]) => i);
}

/** Symmetric relative difference |a - b| / max(|a|, |b|). */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-30);
}
