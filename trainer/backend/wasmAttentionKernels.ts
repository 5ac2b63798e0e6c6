// The attention's fused kernels on the wasm backend, run by the native addon on the heap
// (registered with the others by wasmFused.ts useNativeFused):
// - SolarAttention: softmax(q k^T + mask) v while decoding (native/blas/solarAttention.c);
//   forward only. The tfjs route was two batched products of B*H slices of 1 x hd x L and
//   a softmax, ~40% of a tiny model's decoding at batch 32.
// - rotary positions into heads: wasmRopeKernels.ts.
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { outputs, views } from './wasmHeapIo';
import { ropeKernels } from './wasmRopeKernels';

export const ATTENTION_KERNEL = 'SolarAttention';

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

/** The kernels by name, for wasmFused.ts to register. */
export function attentionKernels(blas: NativeBlas): Record<string, KernelFunc> {
  return {
    [ATTENTION_KERNEL]: attentionKernel(blas),
    ...ropeKernels(blas),
  };
}
