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

/** One column block of a projection's output: its heads, first column, whether RoPE turns it, its scale. */
interface Block {
  heads: number;
  offset: number;
  rotate: boolean;
  scale: number;
}

/**
 * The addon's pass over one block: forward x [B*S, width] -> out [B, heads, S, hd], or
 * backward dy [B, heads, S, hd] -> that block's columns of out [B*S, width].
 */
function blockPass(blas: NativeBlas, a: RopeAttrs, hd: number, width: number, cos: Float32Array, sin: Float32Array) {
  const tableRows = cos.length / (a.S * hd);
  return (x: Float32Array, out: Float32Array, k: Block, backward: boolean): void =>
    blas.ropeHeads(x, cos, sin, out, a.B, a.S, k.heads, hd, tableRows, k.scale, backward, width, k.offset, k.rotate);
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
      const block = { heads: a.H, offset: 0, rotate: true, scale: a.scale };
      if (o.length > 0) blockPass(blas, a, hd, a.H * hd, cv, sv)(xv, o, block, backward);
    });
    return out;
  };
}

/** A q, k, v kernel's checked attrs and tables, and the fused product's width and blocks (q, k, v). */
function qkvLayout(name: string, inputs: Record<string, TensorInfo | undefined>, attrs: unknown) {
  const a = ropeAttrs(name, attrs);
  const hd = tableWidth(name, inputs.cos, inputs.sin, a);
  const blocks: Block[] = [
    { heads: a.H, offset: 0, rotate: true, scale: a.scale },
    { heads: a.KV, offset: a.H * hd, rotate: true, scale: 1 },
    { heads: a.KV, offset: (a.H + a.KV) * hd, rotate: false, scale: 1 },
  ];
  return { a, hd, width: (a.H + 2 * a.KV) * hd, blocks };
}

/** SolarQkvHeads: qkv [B*S, (H + 2 KV) * hd] -> q [B, H, S, hd], k, v [B, KV, S, hd]. */
function qkvHeadsKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const name = QKV_HEADS_KERNEL;
    const { a, hd, width, blocks } = qkvLayout(name, inputs, attrs);
    const qkv = checkShape(name, 'qkv', inputs.qkv, [a.B * a.S, width]);
    const shapes = blocks.map((k) => [a.B, k.heads, a.S, hd]);
    return outputs(backend, shapes, (outs) => {
      const [xv] = views(name, { qkv }, backend);
      const [cv, sv] = views(name, { cos: inputs.cos, sin: inputs.sin }, backend);
      const pass = blockPass(blas, a, hd, width, cv, sv);
      if (xv.length > 0) blocks.forEach((k, i) => pass(xv, outs[i], k, false));
    });
  };
}

/** SolarQkvHeadsGrad: dq, dk, dv -> dqkv [B*S, (H + 2 KV) * hd], each block written by its own pass. */
function qkvHeadsGradKernel(blas: NativeBlas): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const name = QKV_HEADS_GRAD_KERNEL;
    const { a, hd, width, blocks } = qkvLayout(name, inputs, attrs);
    const grads = (['dq', 'dk', 'dv'] as const).map((g, i) =>
      checkShape(name, g, inputs[g], [a.B, blocks[i].heads, a.S, hd]),
    );
    const [out] = outputs(backend, [[a.B * a.S, width]], ([o]) => {
      const [cv, sv] = views(name, { cos: inputs.cos, sin: inputs.sin }, backend);
      const pass = blockPass(blas, a, hd, width, cv, sv);
      if (o.length === 0) return;
      blocks.forEach((k, i) => pass(views(name, { [`d${i}`]: grads[i] }, backend)[0], o, k, true));
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
