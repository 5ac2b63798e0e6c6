// AdamW's update on the wasm backend, one pass per parameter and in place: the parameter's
// own heap memory is overwritten, and the moments m and v are host Float32Arrays outside
// the wasm heap (optimizer.ts keeps them). In C when the native addon is loaded
// (native/blas/solarFused.c: vectorised, threaded), else a JS loop.
//
// Why: optimizer.ts's tf ops path runs ~14 elementwise kernels per parameter, each with a
// heap tensor of its own (a fifth of a tiny-preset step on wasm), and keeps m and v on the
// 4 GiB wasm heap: at ~100M parameters that is 800 MB of it, and the new p, m, v of every
// update left the heap too fragmented for a second step (scratch/mem100.ts).

import * as tf from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { asWasm } from './wasmBackendView';

/** The native update (the BLAS addon's adamw, vectorised and threaded) or null: the JS loop. */
let native: NativeBlas['adamw'] | null = null;
export function useNativeAdamW(adamw: NativeBlas['adamw'] | null): void {
  native = adamw;
}

/** Scalars of one update (optimizer.ts computes them once per step). */
export interface AdamWScalars {
  beta1: number;
  beta2: number;
  eps: number;
  lr: number;
  /** Multiplies p before the step: 1 - lr * weightDecay for decayed parameters, else 1. */
  decay: number;
  /** Bias corrections 1 - beta1^step and 1 - beta2^step. */
  bc1: number;
  bc2: number;
  /** Global-norm clipping factor for g (1 when the norm is within the limit). */
  clipScale: number;
}

/** Whether the current backend updates in place (wasm: this file). */
export function adamWInPlaceAvailable(): boolean {
  return tf.getBackend() === 'wasm';
}

/**
 *   g' = clipScale g;  m = beta1 m + (1 - beta1) g';  v = beta2 v + (1 - beta2) g'^2
 *   pOut = decay p - lr (m / bc1) / (sqrt(v / bc2) + eps)
 * the formula, in the order, of optimizer.ts's tf ops path; m and v are updated in place,
 * and pOut may be p itself (each element is read before it is written).
 */
function update(
  p: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  pOut: Float32Array,
  s: AdamWScalars,
) {
  const { beta1, beta2, eps, lr, decay, bc1, bc2, clipScale } = s;
  if (native !== null) {
    native(p, m, v, g, pOut, m, v, beta1, beta2, eps, lr, decay, bc1, bc2, clipScale);
    return;
  }
  // ~6.5 ns per element in V8 (the native loop: well under 1).
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  for (let i = 0; i < p.length; i++) {
    const gi = clipScale * g[i];
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    pOut[i] = decay * p[i] - lr * (mi / bc1 / (Math.sqrt(vi / bc2) + eps));
  }
}

/**
 * One AdamW update of parameter p (a wasm variable, float32) with gradient g, moments m, v
 * (host arrays of p's size). p's heap memory is overwritten unless another tensor shares
 * it (the backend's refCount): then the new value comes back as a new tensor for the
 * caller to assign, and null otherwise.
 */
export function adamWInPlace(
  p: tf.Tensor,
  g: tf.Tensor,
  m: Float32Array,
  v: Float32Array,
  s: AdamWScalars,
): tf.Tensor | null {
  for (const [name, x] of Object.entries({ g, m, v })) {
    const size = x instanceof tf.Tensor ? x.size : x.length;
    if (size !== p.size || (x instanceof tf.Tensor && x.dtype !== 'float32') || p.dtype !== 'float32') {
      throw new Error(`AdamW: ${name} must be float32 with p's ${p.size} elements, got ${size}`);
    }
  }
  for (const [name, x] of Object.entries(s)) {
    if (!Number.isFinite(x)) throw new Error(`AdamW: ${name} must be a finite number, got ${x}`);
  }
  const wasm = asWasm(tf.backend());
  const shared = wasm.refCount(p.dataId) > 1;
  const out = shared ? wasm.makeOutput(p.shape, 'float32') : null;
  // Views after makeOutput: its malloc may grow the heap and detach older views.
  const pv = wasm.typedArrayFromHeap(p) as Float32Array;
  const gv = wasm.typedArrayFromHeap(g) as Float32Array;
  update(pv, m, v, gv, out ? (wasm.typedArrayFromHeap(out) as Float32Array) : pv, s);
  return out ? tf.engine().makeTensorFromTensorInfo(out) : null;
}
