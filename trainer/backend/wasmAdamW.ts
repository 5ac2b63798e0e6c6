// One AdamW update of one parameter as a single wasm kernel (over the heap: in C when the
// native BLAS addon is loaded, else a JS loop), instead of
// the ~14 elementwise kernels, each with its own heap tensor, that optimizer.ts's tf ops
// path runs per parameter. Measured in a tiny-preset step on wasm, those small kernels
// (Multiply, Add, RealDiv, Sqrt, Square, Sub) were about a fifth of the step.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { asWasm } from './wasmBackendView';

/** The native update (the BLAS addon's adamw, vectorised and threaded) or null: the JS loop. */
let native: NativeBlas['adamw'] | null = null;
export function useNativeAdamW(adamw: NativeBlas['adamw'] | null): void {
  native = adamw;
}

/** The kernel's name in tfjs's registry; optimizer.ts uses it where a backend has it. */
export const ADAMW_KERNEL = 'SolarAdamW';

/** Scalars of one update (optimizer.ts computes them once per step). */
export interface AdamWAttrs {
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

function attr(attrs: Record<string, unknown> | undefined, name: keyof AdamWAttrs): number {
  const v = attrs?.[name];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`${ADAMW_KERNEL}: attr ${name} must be a finite number`);
  return v;
}

/**
 * Inputs p, m, v, g (float32, one shape) -> outputs [p', m', v'], new heap tensors:
 *   g' = clipScale g;  m' = beta1 m + (1 - beta1) g';  v' = beta2 v + (1 - beta2) g'^2
 *   p' = decay p - lr (m' / bc1) / (sqrt(v' / bc2) + eps)
 * the same formula, in the same order, as optimizer.ts's tf ops path.
 */
export const adamWKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { p, m, v, g } = inputs;
  if (p === undefined || m === undefined || v === undefined || g === undefined) {
    throw new Error(`${ADAMW_KERNEL}: inputs p, m, v and g are required`);
  }
  for (const [name, t] of Object.entries({ m, v, g })) {
    if (t.dtype !== 'float32' || t.shape.join() !== p.shape.join() || p.dtype !== 'float32') {
      throw new Error(`${ADAMW_KERNEL}: ${name} must be float32 [${p.shape}] like p, got ${t.dtype} [${t.shape}]`);
    }
  }
  const a = attrs as Record<string, unknown> | undefined;
  const beta1 = attr(a, 'beta1');
  const beta2 = attr(a, 'beta2');
  const eps = attr(a, 'eps');
  const lr = attr(a, 'lr');
  const decay = attr(a, 'decay');
  const bc1 = attr(a, 'bc1');
  const bc2 = attr(a, 'bc2');
  const clipScale = attr(a, 'clipScale');

  const wasm = asWasm(backend);
  const outs: TensorInfo[] = [];
  try {
    for (let i = 0; i < 3; i++) outs.push(wasm.makeOutput(p.shape, 'float32'));
    // Views only after the last malloc: a heap growth detaches older views.
    const [pv, mv, vv, gv] = [p, m, v, g].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
    const [po, mo, vo] = outs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
    if (native !== null) {
      native(pv, mv, vv, gv, po, mo, vo, beta1, beta2, eps, lr, decay, bc1, bc2, clipScale);
      return outs;
    }
    // ~6.5 ns per element in V8 (the native loop: well under 1).
    const c1 = 1 - beta1;
    const c2 = 1 - beta2;
    for (let i = 0; i < pv.length; i++) {
      const gi = clipScale * gv[i];
      const mi = beta1 * mv[i] + c1 * gi;
      const vi = beta2 * vv[i] + c2 * gi * gi;
      mo[i] = mi;
      vo[i] = vi;
      po[i] = decay * pv[i] - lr * (mi / bc1 / (Math.sqrt(vi / bc2) + eps));
    }
  } catch (e) {
    for (const t of outs) wasm.disposeData(t.dataId);
    throw e;
  }
  return outs;
};

export const adamWKernelConfig: KernelConfig = {
  kernelName: ADAMW_KERNEL,
  backendName: 'wasm',
  kernelFunc: adamWKernel,
};
