// Fused elementwise kernels for the wasm backend, run by the native addon
// (native/blas/solarFused.c) on the heap: one threaded pass where tfjs runs a kernel and
// allocates a heap tensor per operation. They are registered only while the native BLAS
// is in use (useNativeBlas), so a backend has them or not, and the model code asks
// (trainer/model/fusedOps.ts); without them it runs the plain tf ops.
//
// In a small-preset step (bench/kernelProfile.ts): SwiGLU (silu(gate) * up, the MLP's
// activation), its sigmoid and five multiplies forward and backward, were ~8% of the
// step; the attention softmax's gradient (multiply, sum, subtract, multiply over
// [B, H, S, L]) ~5%, and its forward with the mask added another ~5% of a tiny step;
// RMSNorm's ~6 kernels forward and ~12 backward, 13 times, ~6%. Decoding's attention over
// the key/value cache (SolarAttention, forward only) was ~40% of a tiny model's decoding.
import { getKernel, type KernelFunc, registerKernel, type TensorInfo, unregisterKernel } from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { asWasm } from './wasmBackendView';

export const SWIGLU_KERNEL = 'SolarSwiGLU';
export const SWIGLU_GRAD_KERNEL = 'SolarSwiGLUGrad';
export const SOFTMAX_GRAD_KERNEL = 'SolarSoftmaxGrad';
export const MASKED_SOFTMAX_KERNEL = 'SolarMaskedSoftmax';
export const RMSNORM_KERNEL = 'SolarRmsNorm';
export const RMSNORM_GRAD_KERNEL = 'SolarRmsNormGrad';
export const ATTENTION_KERNEL = 'SolarAttention';

/** Inputs as heap views, checked: float32, all of the first input's shape. */
function views(name: string, inputs: Record<string, TensorInfo | undefined>, backend: unknown): Float32Array[] {
  const wasm = asWasm(backend);
  const list = Object.entries(inputs);
  const first = list[0][1];
  return list.map(([input, t]) => {
    if (t === undefined) throw new Error(`${name}: input ${input} is required`);
    if (t.dtype !== 'float32' || first === undefined || t.shape.join() !== first.shape.join()) {
      throw new Error(`${name}: ${input} must be float32 [${first?.shape}], got ${t.dtype} [${t.shape}]`);
    }
    return wasm.typedArrayFromHeap(t) as Float32Array;
  });
}

/** New float32 heap tensors of `shapes`; freed again if `fill` throws. */
function outputs(backend: unknown, shapes: number[][], fill: (outs: Float32Array[]) => void): TensorInfo[] {
  const wasm = asWasm(backend);
  const outs: TensorInfo[] = [];
  try {
    for (const shape of shapes) outs.push(wasm.makeOutput(shape, 'float32'));
    // Views only after the last malloc: a heap growth detaches older views.
    fill(outs.map((t) => wasm.typedArrayFromHeap(t) as Float32Array));
  } catch (e) {
    for (const t of outs) wasm.disposeData(t.dataId);
    throw e;
  }
  return outs;
}

function swigluKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend }) => {
    const shape = inputs.gate?.shape ?? [];
    const [out] = outputs(backend, [shape], ([o]) => {
      const [gate, up] = views(SWIGLU_KERNEL, { gate: inputs.gate, up: inputs.up }, backend);
      blas.swiglu(gate, up, o);
    });
    return out;
  };
}

function swigluGradKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend }) => {
    const shape = inputs.gate?.shape ?? [];
    return outputs(backend, [shape, shape], ([dGate, dUp]) => {
      const [dy, gate, up] = views(SWIGLU_GRAD_KERNEL, { dy: inputs.dy, gate: inputs.gate, up: inputs.up }, backend);
      blas.swigluGrad(dy, gate, up, dGate, dUp);
    });
  };
}

/** dy, y [..., L] -> dx = y * (dy - sum(dy * y, -1)), the gradient of y = softmax(x, -1). */
function softmaxGradKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend }) => {
    const shape = inputs.y?.shape ?? [];
    const [dx] = outputs(backend, [shape], ([o]) => {
      const [dy, y] = views(SOFTMAX_GRAD_KERNEL, { dy: inputs.dy, y: inputs.y }, backend);
      if (y.length > 0) blas.softmaxGrad(dy, y, o, shape[shape.length - 1]);
    });
    return dx;
  };
}

/** x [N, d], w [d] (attr eps) -> [y [N, d], rstd [N]]: y = x * rstd * w, rstd = 1/sqrt(mean(x^2) + eps). */
function rmsNormKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, w } = inputs;
    const eps = attrs?.eps;
    if (x === undefined || w === undefined || x.shape.length !== 2 || w.shape.join() !== `${x.shape[1]}`) {
      throw new Error(`${RMSNORM_KERNEL}: x must be [N, d] and w [d], got [${x?.shape}] and [${w?.shape}]`);
    }
    if (typeof eps !== 'number') throw new Error(`${RMSNORM_KERNEL}: attr eps must be a number`);
    return outputs(backend, [x.shape, [x.shape[0]]], ([y, rstd]) => {
      const [xv] = views(RMSNORM_KERNEL, { x }, backend);
      const [wv] = views(RMSNORM_KERNEL, { w }, backend);
      if (xv.length > 0) blas.rmsnorm(xv, wv, y, rstd, eps);
    });
  };
}

/** dy, x [N, d], w [d], rstd [N] -> [dx [N, d], dw [d]]: RMSNorm's gradient. */
function rmsNormGradKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend }) => {
    const { dy, x, w, rstd } = inputs;
    if (x === undefined || w === undefined || rstd === undefined || x.shape.length !== 2) {
      throw new Error(`${RMSNORM_GRAD_KERNEL}: inputs dy, x [N, d], w [d] and rstd [N] are required`);
    }
    return outputs(backend, [x.shape, w.shape], ([dx, dw]) => {
      const [dyv, xv] = views(RMSNORM_GRAD_KERNEL, { dy, x }, backend);
      const [wv] = views(RMSNORM_GRAD_KERNEL, { w }, backend);
      const [rv] = views(RMSNORM_GRAD_KERNEL, { rstd }, backend);
      if (xv.length > 0) blas.rmsnormGrad(dyv, xv, wv, rv, dx, dw);
      else dw.fill(0);
    });
  };
}

/** x [B, H, S, L], mask [1 or B, 1, S, L] -> softmax(x + mask) over L (the attention weights). */
function maskedSoftmaxKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend }) => {
    const { x, mask } = inputs;
    const [B, H, S, L] = x?.shape ?? [];
    const m = mask?.shape ?? [];
    if (x === undefined || mask === undefined || x.shape.length !== 4 || m.length !== 4) {
      throw new Error(`${MASKED_SOFTMAX_KERNEL}: x must be [B, H, S, L] and mask [1 or B, 1, S, L]`);
    }
    if ((m[0] !== 1 && m[0] !== B) || m[1] !== 1 || m[2] !== S || m[3] !== L) {
      throw new Error(`${MASKED_SOFTMAX_KERNEL}: mask [${m}] does not fit x [${x.shape}]`);
    }
    const [y] = outputs(backend, [x.shape], ([yv]) => {
      const [xv] = views(MASKED_SOFTMAX_KERNEL, { x }, backend);
      const [mv] = views(MASKED_SOFTMAX_KERNEL, { mask }, backend);
      if (xv.length > 0) blas.maskedSoftmax(xv, mv, yv, L, S, H);
    });
    return y;
  };
}

/**
 * q [B, H, S, hd], k, v [B, KV, L, hd], mask [1 or B, 1, S, L] -> softmax(q k^T + mask) v,
 * [B, H, S, hd] (solarAttention.c: decoding; no gradient kernel, so inference only).
 */
function attentionKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend }) => {
    const { q, k, v, mask } = inputs;
    const [B, H, S, hd] = q?.shape ?? [];
    const [kb, KV, L, khd] = k?.shape ?? [];
    const m = mask?.shape ?? [];
    const fits =
      q?.shape.length === 4 &&
      k?.shape.length === 4 &&
      v?.shape.join() === k.shape.join() &&
      kb === B &&
      khd === hd &&
      H % KV === 0 &&
      m.length === 4 &&
      (m[0] === 1 || m[0] === B) &&
      m[1] === 1 &&
      m[2] === S &&
      m[3] === L;
    if (!fits || q === undefined || k === undefined || v === undefined || mask === undefined) {
      throw new Error(
        `${ATTENTION_KERNEL}: q must be [B, H, S, hd], k and v [B, KV, L, hd] with KV dividing H, mask [1 or B, 1, S, L]; got [${q?.shape}], [${k?.shape}], [${v?.shape}], [${m}]`,
      );
    }
    const [out] = outputs(backend, [q.shape], ([o]) => {
      const [qv] = views(ATTENTION_KERNEL, { q }, backend);
      const [kv, vv] = views(ATTENTION_KERNEL, { k, v }, backend);
      const [mv] = views(ATTENTION_KERNEL, { mask }, backend);
      if (o.length > 0 && kv.length > 0) blas.attention(qv, kv, vv, mv, o, B, H, KV, S, L, hd, m[0]);
      else o.fill(0);
    });
    return out;
  };
}

/** Registers the fused kernels on wasm with `blas`'s routines, or removes them (null). */
export function useNativeFused(blas: NativeBlas | null): void {
  const names = [
    SWIGLU_KERNEL,
    SWIGLU_GRAD_KERNEL,
    SOFTMAX_GRAD_KERNEL,
    MASKED_SOFTMAX_KERNEL,
    RMSNORM_KERNEL,
    RMSNORM_GRAD_KERNEL,
    ATTENTION_KERNEL,
  ];
  for (const name of names) {
    if (getKernel(name, 'wasm') !== undefined) unregisterKernel(name, 'wasm');
  }
  if (blas === null) return;
  registerKernel({ kernelName: SWIGLU_KERNEL, backendName: 'wasm', kernelFunc: swigluKernel(blas) });
  registerKernel({ kernelName: SWIGLU_GRAD_KERNEL, backendName: 'wasm', kernelFunc: swigluGradKernel(blas) });
  registerKernel({ kernelName: SOFTMAX_GRAD_KERNEL, backendName: 'wasm', kernelFunc: softmaxGradKernel(blas) });
  registerKernel({ kernelName: MASKED_SOFTMAX_KERNEL, backendName: 'wasm', kernelFunc: maskedSoftmaxKernel(blas) });
  registerKernel({ kernelName: RMSNORM_KERNEL, backendName: 'wasm', kernelFunc: rmsNormKernel(blas) });
  registerKernel({ kernelName: RMSNORM_GRAD_KERNEL, backendName: 'wasm', kernelFunc: rmsNormGradKernel(blas) });
  registerKernel({ kernelName: ATTENTION_KERNEL, backendName: 'wasm', kernelFunc: attentionKernel(blas) });
}
