// Rotary positions fused with the split into heads, on the wasm heap by the native addon
// (native/blas/solarRope.c); tfjs ran a transpose, a rotate-half product, two multiplies,
// an add and the queries' scale, each way.
// - SolarRopeHeads / Grad: one projection's [B*S, H*hd] <-> heads [B, H, S, hd].
// - SolarQkvHeads / Grad: the fused q, k, v projection's [B*S, (H + 2 KV) * hd] <-> q
//   [B, H, S, hd] (rotated, scaled), k [B, KV, S, hd] (rotated), v [B, KV, S, hd]: one
//   product for the three projections (and one for each of its gradients), and the three
//   gradients written into one dqkv with no adds. Three outputs, which tf.customGrad cannot
//   give, so its gradient is registered for the kernel (registerQkvHeadsGradient).
import {
  engine,
  type GradConfig,
  getGradient,
  type KernelFunc,
  registerGradient,
  type Tensor,
  type TensorInfo,
  zerosLike,
} from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { outputs, views } from './wasmHeapIo';

export const ROPE_HEADS_KERNEL = 'SolarRopeHeads';
export const ROPE_HEADS_GRAD_KERNEL = 'SolarRopeHeadsGrad';
export const QKV_HEADS_KERNEL = 'SolarQkvHeads';
export const QKV_HEADS_GRAD_KERNEL = 'SolarQkvHeadsGrad';

interface RopeAttrs {
  B: number;
  S: number;
  /** Query heads; KV: key/value heads (0 for SolarRopeHeads, which has one group of H). */
  H: number;
  KV: number;
  scale: number;
}

function ropeAttrs(name: string, attrs: unknown): RopeAttrs {
  const { B, S, H, KV = 0, scale } = (attrs ?? {}) as Record<string, unknown>;
  const sizes = [B, S, H].every((n) => Number.isInteger(n) && (n as number) > 0) && Number.isInteger(KV);
  if (!sizes || typeof scale !== 'number') {
    throw new Error(`${name}: attrs B, S, H (and KV) must be positive integers and scale a number`);
  }
  return { B, S, H, KV, scale } as RopeAttrs;
}

/** The tables' head width, after checking cos and sin are [1 or B, 1, S, hd] with an even hd. */
function tableWidth(name: string, cos: TensorInfo | undefined, sin: TensorInfo | undefined, a: RopeAttrs): number {
  const t = cos?.shape ?? [];
  const hd = t[3];
  const fits = t.length === 4 && (t[0] === 1 || t[0] === a.B) && t[1] === 1 && t[2] === a.S && hd % 2 === 0;
  if (!fits || sin?.shape.join() !== t.join()) {
    throw new Error(
      `${name}: cos and sin must be [1 or ${a.B}, 1, ${a.S}, an even hd]; got [${t}] and [${sin?.shape}]`,
    );
  }
  return hd;
}

function checkShape(name: string, input: string, t: TensorInfo | undefined, want: number[]): TensorInfo {
  if (t === undefined || t.shape.join() !== want.join()) {
    throw new Error(`${name}: ${input} must be [${want}], got [${t?.shape}]`);
  }
  return t;
}

/** SolarRopeHeads (x [B*S, H*hd] -> [B, H, S, hd]) or its gradient (dy [B, H, S, hd] -> [B*S, H*hd]). */
function ropeHeadsKernel(blas: NativeBlas, backward: boolean): KernelFunc {
  const name = backward ? ROPE_HEADS_GRAD_KERNEL : ROPE_HEADS_KERNEL;
  return ({ inputs, backend, attrs }) => {
    const a = ropeAttrs(name, attrs);
    const hd = tableWidth(name, inputs.cos, inputs.sin, a);
    const flat = [a.B * a.S, a.H * hd];
    const heads = [a.B, a.H, a.S, hd];
    const x = checkShape(name, 'x', inputs.x, backward ? heads : flat);
    const [out] = outputs(backend, [backward ? flat : heads], ([o]) => {
      const [xv] = views(name, { x }, backend);
      const [cv, sv] = views(name, { cos: inputs.cos, sin: inputs.sin }, backend);
      if (o.length > 0)
        blas.ropeHeads(xv, cv, sv, o, a.B, a.S, a.H, hd, cv.length / (a.S * hd), a.scale, backward, a.H * hd, 0, true);
    });
    return out;
  };
}

/** The three column blocks of a fused q, k, v product: heads, column offset, rotated, scale. */
function qkvBlocks(a: RopeAttrs, hd: number): [number, number, boolean, number][] {
  return [
    [a.H, 0, true, a.scale],
    [a.KV, a.H * hd, true, 1],
    [a.KV, (a.H + a.KV) * hd, false, 1],
  ];
}

/** SolarQkvHeads: qkv [B*S, (H + 2 KV) * hd] -> q [B, H, S, hd], k, v [B, KV, S, hd]. */
function qkvHeadsKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const name = QKV_HEADS_KERNEL;
    const a = ropeAttrs(name, attrs);
    const hd = tableWidth(name, inputs.cos, inputs.sin, a);
    const width = (a.H + 2 * a.KV) * hd;
    const qkv = checkShape(name, 'qkv', inputs.qkv, [a.B * a.S, width]);
    const blocks = qkvBlocks(a, hd);
    return outputs(
      backend,
      blocks.map(([heads]) => [a.B, heads, a.S, hd]),
      (outs) => {
        const [xv] = views(name, { qkv }, backend);
        const [cv, sv] = views(name, { cos: inputs.cos, sin: inputs.sin }, backend);
        if (xv.length === 0) return;
        blocks.forEach(([heads, offset, rotate, scale], i) =>
          blas.ropeHeads(
            xv,
            cv,
            sv,
            outs[i],
            a.B,
            a.S,
            heads,
            hd,
            cv.length / (a.S * hd),
            scale,
            false,
            width,
            offset,
            rotate,
          ),
        );
      },
    );
  };
}

/** SolarQkvHeadsGrad: dq, dk, dv -> dqkv [B*S, (H + 2 KV) * hd], each block written by its own pass. */
function qkvHeadsGradKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const name = QKV_HEADS_GRAD_KERNEL;
    const a = ropeAttrs(name, attrs);
    const hd = tableWidth(name, inputs.cos, inputs.sin, a);
    const width = (a.H + 2 * a.KV) * hd;
    const blocks = qkvBlocks(a, hd);
    const grads = (['dq', 'dk', 'dv'] as const).map((g, i) =>
      checkShape(name, g, inputs[g], [a.B, blocks[i][0], a.S, hd]),
    );
    const [out] = outputs(backend, [[a.B * a.S, width]], ([o]) => {
      const [cv, sv] = views(name, { cos: inputs.cos, sin: inputs.sin }, backend);
      if (o.length === 0) return;
      blocks.forEach(([heads, offset, rotate, scale], i) => {
        const [dv] = views(name, { [`d${i}`]: grads[i] }, backend);
        blas.ropeHeads(dv, cv, sv, o, a.B, a.S, heads, hd, cv.length / (a.S * hd), scale, true, width, offset, rotate);
      });
    });
    return out;
  };
}

/** SolarQkvHeads' gradient: dqkv from the three outputs' gradients; the tables are constants. */
const qkvHeadsGradient: GradConfig = {
  kernelName: QKV_HEADS_KERNEL,
  inputsToSave: ['cos', 'sin'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs) => {
    const [dq, dk, dv] = dy as Tensor[];
    const [cos, sin] = saved;
    return {
      qkv: () =>
        engine().runKernel(
          QKV_HEADS_GRAD_KERNEL,
          { dq, dk, dv, cos, sin },
          attrs as unknown as Record<string, number>,
        ) as Tensor,
      cos: () => zerosLike(cos),
      sin: () => zerosLike(sin),
    };
  },
};

/** The kernels by name, for wasmAttentionKernels.ts; registers SolarQkvHeads' gradient once. */
export function ropeKernels(blas: NativeBlas): Record<string, KernelFunc> {
  if (getGradient(QKV_HEADS_KERNEL) === undefined) registerGradient(qkvHeadsGradient);
  return {
    [ROPE_HEADS_KERNEL]: ropeHeadsKernel(blas, false),
    [ROPE_HEADS_GRAD_KERNEL]: ropeHeadsKernel(blas, true),
    [QKV_HEADS_KERNEL]: qkvHeadsKernel(blas),
    [QKV_HEADS_GRAD_KERNEL]: qkvHeadsGradKernel(blas),
  };
}
