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
// RMSNorm's ~6 kernels forward and ~12 backward, 13 times, ~6%. The attention's own
// (decoding, rotary positions): wasmAttentionKernels.ts.
import { getKernel, type KernelFunc, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { ATTENTION_KERNEL, attentionKernels } from './wasmAttentionKernels';
import { outputs, views } from './wasmHeapIo';
import { QKV_HEADS_GRAD_KERNEL, QKV_HEADS_KERNEL, ROPE_HEADS_GRAD_KERNEL, ROPE_HEADS_KERNEL } from './wasmRopeKernels';

export { ATTENTION_KERNEL } from './wasmAttentionKernels';
export {
  QKV_HEADS_GRAD_KERNEL,
  QKV_HEADS_KERNEL,
  ROPE_HEADS_GRAD_KERNEL,
  ROPE_HEADS_KERNEL,
} from './wasmRopeKernels';

export const SWIGLU_KERNEL = 'SolarSwiGLU';
export const SWIGLU_GRAD_KERNEL = 'SolarSwiGLUGrad';
export const SOFTMAX_GRAD_KERNEL = 'SolarSoftmaxGrad';
export const MASKED_SOFTMAX_KERNEL = 'SolarMaskedSoftmax';
export const RMSNORM_KERNEL = 'SolarRmsNorm';
export const RMSNORM_GRAD_KERNEL = 'SolarRmsNormGrad';

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
    ROPE_HEADS_KERNEL,
    ROPE_HEADS_GRAD_KERNEL,
    QKV_HEADS_KERNEL,
    QKV_HEADS_GRAD_KERNEL,
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
  for (const [kernelName, kernelFunc] of Object.entries(attentionKernels(blas))) {
    registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}
