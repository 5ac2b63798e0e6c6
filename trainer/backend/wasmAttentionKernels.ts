// The attention's fused kernels on the wasm backend, run by the native addon on the heap
// (registered with the others by wasmFused.ts useNativeFused):
// - SolarAttention: softmax(q k^T + mask) v while decoding (native/blas/solarAttention.c);
//   forward only. The tfjs route was two batched products of B*H slices of 1 x hd x L and
//   a softmax, ~40% of a tiny model's decoding at batch 32.
// - SolarRopeHeads and its gradient: a projection's [B*S, H*hd] into heads [B, H, S, hd]
//   with rotary positions and a scale (native/blas/solarRope.c); tfjs ran a transpose, a
//   rotate-half product, two multiplies, an add and the queries' scale, each way.
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { outputs, views } from './wasmHeapIo';

export const ATTENTION_KERNEL = 'SolarAttention';
export const ROPE_HEADS_KERNEL = 'SolarRopeHeads';
export const ROPE_HEADS_GRAD_KERNEL = 'SolarRopeHeadsGrad';

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

/**
 * Forward: x [B*S, H*hd] (attrs B, S, H, scale), cos, sin [1 or B, 1, S, hd] -> [B, H, S, hd]
 * = scale * (x * cos + rotate_half(x) * sin) per head. Backward: dy [B, H, S, hd] -> dx
 * [B*S, H*hd].
 */
function ropeHeadsKernel(blas: NativeBlas, backward: boolean): KernelFunc {
  const name = backward ? ROPE_HEADS_GRAD_KERNEL : ROPE_HEADS_KERNEL;
  return ({ inputs, backend, attrs }) => {
    const { x, cos, sin } = inputs;
    const { B, S, H, scale } = (attrs ?? {}) as Record<string, unknown>;
    const sizes = [B, S, H].every((n) => Number.isInteger(n) && (n as number) > 0);
    if (!sizes || typeof scale !== 'number')
      throw new Error(`${name}: attrs B, S, H must be positive integers and scale a number`);
    const [b, s, h] = [B, S, H] as number[];
    const t = cos?.shape ?? [];
    const hd = t[3];
    const want = backward ? [b, h, s, hd] : [b * s, h * hd];
    if (
      x === undefined ||
      cos === undefined ||
      sin === undefined ||
      t.length !== 4 ||
      (t[0] !== 1 && t[0] !== b) ||
      t[1] !== 1 ||
      t[2] !== s ||
      hd % 2 !== 0 ||
      sin.shape.join() !== t.join() ||
      x.shape.join() !== want.join()
    ) {
      throw new Error(
        `${name}: x must be [${want}] and cos, sin [1 or ${b}, 1, ${s}, an even hd]; got [${x?.shape}], [${t}], [${sin?.shape}]`,
      );
    }
    const [out] = outputs(backend, [backward ? [b * s, h * hd] : [b, h, s, hd]], ([o]) => {
      const [xv] = views(name, { x }, backend);
      const [cv, sv] = views(name, { cos, sin }, backend);
      if (o.length > 0) blas.ropeHeads(xv, cv, sv, o, b, s, h, hd, t[0], scale, backward);
    });
    return out;
  };
}

/** The kernels by name, for wasmFused.ts to register. */
export function attentionKernels(blas: NativeBlas): Record<string, KernelFunc> {
  return {
    [ATTENTION_KERNEL]: attentionKernel(blas),
    [ROPE_HEADS_KERNEL]: ropeHeadsKernel(blas, false),
    [ROPE_HEADS_GRAD_KERNEL]: ropeHeadsKernel(blas, true),
  };
}
