// BatchMatMul on the wasm heap through the native BLAS (trainer/backend/nativeBlas.ts):
// the operands' heap memory goes to cblas_sgemm as it is, transposes included (no
// Transpose copies, unlike the XNNPACK route in wasmKernels.ts), on every core.
import { broadcast_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { asWasm } from './wasmBackendView';

/**
 * For each flat index of the broadcast batch shape, the flat batch index into
 * a and into b (numpy broadcasting; size-1 axes repeat).
 */
export function broadcastBatchIndices(
  outerA: number[],
  outerB: number[],
  outOuter: number[],
): { a: number[]; b: number[] } {
  const rank = outOuter.length;
  const padA = [...new Array<number>(rank - outerA.length).fill(1), ...outerA];
  const padB = [...new Array<number>(rank - outerB.length).fill(1), ...outerB];
  const total = util.sizeFromShape(outOuter);
  const aIdx: number[] = [];
  const bIdx: number[] = [];
  for (let o = 0; o < total; o++) {
    let rem = o;
    let ia = 0;
    let ib = 0;
    let strideA = 1;
    let strideB = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const coord = rem % outOuter[d];
      rem = Math.floor(rem / outOuter[d]);
      ia += (padA[d] === 1 ? 0 : coord) * strideA;
      ib += (padB[d] === 1 ? 0 : coord) * strideB;
      strideA *= padA[d];
      strideB *= padB[d];
    }
    aIdx.push(ia);
    bIdx.push(ib);
  }
  return { a: aIdx, b: bIdx };
}

/**
 * a [...oa, M, K] (or [...oa, K, M] with transposeA) @ b [...ob, K, N] (or [...ob, N, K])
 * -> [...broadcast(oa, ob), M, N], float32, numpy broadcasting of the batch axes. Returns
 * null for an empty product (the caller's route handles it).
 */
export function blasMatMul(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  backend: unknown,
  blas: NativeBlas,
): TensorInfo | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = a.shape[ra - (transposeA ? 1 : 2)];
  const K = a.shape[ra - (transposeA ? 2 : 1)];
  const N = b.shape[rb - (transposeB ? 2 : 1)];
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outOuter = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const batch = util.sizeFromShape(outOuter);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  // Empty products: nothing for BLAS to do (and cblas wants positive sizes).
  if (batch * M * N * K === 0) return null;
  const wasm = asWasm(backend);
  const out = wasm.makeOutput([...outOuter, M, N], 'float32');
  // One b for every batch and a plain a: a's batches are consecutive rows, so a single
  // [batch*M, K] @ [K, N] product (one bigger call uses the cores better).
  const fold = batchB === 1 && batchA === batch && !transposeA;
  try {
    // Views after makeOutput: its malloc may grow the heap and detach older views.
    const av = wasm.typedArrayFromHeap(a) as Float32Array;
    const bv = wasm.typedArrayFromHeap(b) as Float32Array;
    const cv = wasm.typedArrayFromHeap(out) as Float32Array;
    if ((batchA === 1 || batchA === batch) && (batchB === 1 || batchB === batch)) {
      // One call: each operand is one slice (stride 0) or one per batch.
      const slices = fold ? 1 : batch;
      const rows = fold ? batch * M : M;
      blas.matmul(
        av,
        bv,
        cv,
        slices,
        rows,
        N,
        K,
        transposeA,
        transposeB,
        batchA === 1 ? 0 : M * K,
        batchB === 1 ? 0 : K * N,
      );
    } else {
      // Both sides broadcast ([2, 1] against [1, 3]): one call per output slice, on
      // subarray views (no copies).
      const idx = broadcastBatchIndices(outerA, outerB, outOuter);
      for (let o = 0; o < batch; o++) {
        blas.matmul(
          av.subarray(idx.a[o] * M * K, (idx.a[o] + 1) * M * K),
          bv.subarray(idx.b[o] * K * N, (idx.b[o] + 1) * K * N),
          cv.subarray(o * M * N, (o + 1) * M * N),
          1,
          M,
          N,
          K,
          transposeA,
          transposeB,
          0,
          0,
        );
      }
    }
  } catch (e) {
    wasm.disposeData(out.dataId);
    throw e;
  }
  return out;
}
