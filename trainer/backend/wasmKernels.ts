/**
 * Kernel patches for @tensorflow/tfjs-backend-wasm 4.22 when it runs in Node.
 *
 * 1. BatchMatMul / _FusedMatMul with transposeA or transposeB take XNNPACK's
 *    slow path on wasm (measured 15–30× slower than the plain case). Every
 *    matMul gradient uses a transposed operand (dA = dy·Bᵀ, dB = Aᵀ·dy), so a
 *    training step is dominated by it. The override materialises the
 *    transposed operand with the wasm Transpose kernel (a cheap O(size) copy)
 *    and then calls the original kernel with both transposes off.
 *
 *    With the native BLAS (nativeBlas.ts, useNativeBlas) BatchMatMul goes to
 *    cblas_sgemm on the heap instead, transposes and all (wasmBlasMatMul.ts).
 *
 * 2. UnsortedSegmentSum (the gradient of tf.gather, i.e. of every embedding
 *    lookup) has no wasm kernel; it is supplied here as a JS kernel that works
 *    directly on the wasm heap.
 *
 * 3. Identity, same-dtype Cast and GatherV2 copy less (wasmCopyKernels.ts): the
 *    tape's saved clones share their data instead of copying it. OneHot and Cast to
 *    bool are replaced there too: wasm's own got float32 and values past 255 wrong.
 *
 * 4. (Not a kernel) AdamW's update runs in place on the heap (wasmAdamW.ts).
 *
 * All other kernels that our model code and its gradients use exist on wasm
 * 4.22 (checked by test/trainer/backend/wasmKernels.test.ts, which runs each op and its
 * gradient on wasm and compares with cpu).
 */
import {
  broadcast_util,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
  util,
} from '@tensorflow/tfjs-core';
import type { NativeBlas } from './nativeBlas';
import { useNativeAdamW } from './wasmAdamW';
import { asWasm } from './wasmBackendView';
import { blasMatMul, broadcastBatchIndices } from './wasmBlasMatMul';
import {
  makeCastKernel,
  makeGatherKernel,
  makeIdentityKernel,
  makeSliceKernel,
  makeSplitVKernel,
  oneHotKernel,
} from './wasmCopyKernels';
import { useNativeFused } from './wasmFused';
import { unsortedSegmentSumKernel } from './wasmSegmentSum';

const WASM = 'wasm';

/** Marker so a second registerWasmKernelOverrides() call is a no-op. */
interface MarkedKernelConfig extends KernelConfig {
  solarStudioOverride?: true;
}

function isOverridden(config: KernelConfig | undefined): boolean {
  return (config as MarkedKernelConfig | undefined)?.solarStudioOverride === true;
}

// ---------------------------------------------------------------------------
// Matmul: keep every product on the XNNPACK path
// ---------------------------------------------------------------------------
//
// wasm's C++ BatchMatMul (batch_mat_mul_impl.cc) uses XNNPACK's fully-connected
// operator only when transposeA = transposeB = false AND both operands have
// batch 1 ([1, M, K] @ [1, K, N]); everything else runs a naive blocked loop.
// Measured in Node (SIMD, 1 thread), 100M multiply-adds:
//   [2048,128]@[128,384]             ~10 ms   (XNNPACK)
//   same with transposeB             ~120 ms  (naive)
//   same with transposeA             ~350 ms  (naive, strided)
//   [16,128,128]@[16,128,384]        ~125 ms  (naive; any batch > 1)
//   the same as 16 separate 2-D calls ~20 ms
// So the override (1) materialises transposed operands with the wasm Transpose
// kernel (O(size) copy), (2) folds a broadcast batch into the rows when b has
// batch 1, and (3) for real batches runs one XNNPACK call per batch slice
// (when the slices are big enough, see SPLIT_MIN_*).
//
// XNNPACK caveat that shapes the code: the C++ side caches the packed weights
// of b keyed by b's tensor id (dropped when that id is disposed), NOT by its
// shape or contents. Hence every b we hand to the original kernel is either
// the caller's own b in its own layout, or a fresh heap tensor that we free
// right after; we never pass a relabelled view of some other tensor as b.

/**
 * When a per-slice split beats the naive loop. Each slice pays fixed JS/heap
 * plumbing plus XNNPACK packing of b (~K*N), against M*K*N multiply-adds.
 * Measured with 64 slices (ms, naive -> split): 16^3 0.58 -> 0.61,
 * 24^3 1.5 -> 0.82, 32^3 3.9 -> 1.15, 128x64x128 69 -> 9.7; with few rows
 * packing dominates: 1x64x64 0.42 -> 2.3, 4x64x64 1.47 -> 1.57,
 * 16x64x64 4.2 -> 1.6. Hence: at least 8 rows and 12k multiply-adds.
 */
const SPLIT_MIN_MACS = 12 * 1024;
const SPLIT_MIN_ROWS = 8;

interface MatMulPlumbing {
  original: KernelFunc;
  transpose: KernelFunc;
  backend: Parameters<KernelFunc>[0]['backend'];
  /** Heap tensors we allocated; freed in the wrapper's finally. */
  temps: TensorInfo[];
}

/**
 * Returns x with its last two axes swapped, as a fresh heap tensor (pushed to
 * `temps` so the caller frees it).
 *
 * x: [...outer, r, c] -> [...outer, c, r]. The Transpose kernel is called on a
 * rank-3 view [prod(outer), r, c] with perm [0, 2, 1] so any input rank works
 * (tf.matMul passes the user's rank straight through: 2, 3, 4, ...); the wasm
 * Transpose drops size-1 axes itself, so rank 2 becomes a plain 2-D transpose
 * (and r == 1 or c == 1 becomes a copy: always a fresh id, see caveat above).
 */
function swapLastTwoAxes(x: TensorInfo, p: MatMulPlumbing): TensorInfo {
  const rank = x.shape.length;
  const outer = x.shape.slice(0, rank - 2);
  const r = x.shape[rank - 2];
  const c = x.shape[rank - 1];
  const batch = util.sizeFromShape(outer);
  const x3: TensorInfo = { dataId: x.dataId, shape: [batch, r, c], dtype: x.dtype };
  const out = p.transpose({ inputs: { x: x3 }, backend: p.backend, attrs: { perm: [0, 2, 1] } });
  if (Array.isArray(out)) throw new Error('wasm Transpose returned several outputs');
  p.temps.push(out);
  // Shapes live in the TensorInfo (the C++ side only knows id/size/offset),
  // so relabelling [batch, c, r] as [...outer, c, r] is free.
  return { dataId: out.dataId, shape: [...outer, c, r], dtype: out.dtype };
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  if (Array.isArray(out)) throw new Error('matmul kernel returned several outputs');
  return out;
}

/**
 * Plain (no-transpose) float32 matmul a [...oa, M, K] @ b [...ob, K, N] ->
 * [...broadcast(oa, ob), M, N], routed so the original kernel only ever sees
 * batch-1 operands (its XNNPACK path) when that pays off.
 */
function plainMatMul(
  a: TensorInfo,
  b: TensorInfo,
  attrs: NamedAttrMap,
  extraInputs: NamedTensorInfoMap,
  alwaysSplit: boolean,
  p: MatMulPlumbing,
): TensorInfo {
  const M = a.shape[a.shape.length - 2];
  const K = a.shape[a.shape.length - 1];
  const N = b.shape[b.shape.length - 1];
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  const run = (x: TensorInfo, y: TensorInfo): TensorInfo =>
    single(p.original({ inputs: { ...extraInputs, a: x, b: y }, backend: p.backend, attrs }));

  if (batchA === 1 && batchB === 1) return run(a, b); // already the fast path
  if (K !== b.shape[b.shape.length - 2]) return run(a, b); // let the original report it
  if (batchA * M * K * N === 0 || batchB === 0) return run(a, b); // empty: nothing to speed up
  const outOuter = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  const outShape = [...outOuter, M, N];
  const outBatch = util.sizeFromShape(outOuter);

  if (batchB === 1) {
    // a [...oa, M, K] @ b [K, N]: rows of all batches are contiguous, so view
    // a as [1, batchA*M, K] (a is not cached by XNNPACK, a view is safe) and
    // b as [1, K, N] (b's own id in its own layout). One XNNPACK call.
    const a3: TensorInfo = { dataId: a.dataId, shape: [1, batchA * M, K], dtype: a.dtype };
    const b3: TensorInfo = { dataId: b.dataId, shape: [1, K, N], dtype: b.dtype };
    const out = run(a3, b3); // [1, batchA*M, N]
    return { dataId: out.dataId, shape: outShape, dtype: out.dtype };
  }

  // The original kernel's output holds max(batchA, batchB) slices, so where both sides
  // broadcast ([2, 1] against [1, 3]) it must not see the batches at all.
  const bothBroadcast = batchA !== outBatch && batchB !== outBatch;
  if (!alwaysSplit && !bothBroadcast && (M < SPLIT_MIN_ROWS || M * K * N < SPLIT_MIN_MACS)) return run(a, b);

  // Real batches: one XNNPACK call per output batch slice.
  //   a slice [1, M, K]: a itself when batchA == 1, else a reused copy buffer
  //   b slice [1, K, N]: a FRESH copy per slice (XNNPACK caches packed b by id)
  //   out slice [1, M, N] is copied into out at o*M*N and freed.
  const wasm = asWasm(p.backend);
  const idx = broadcastBatchIndices(outerA, outerB, outOuter);
  const out = wasm.makeOutput(outShape, 'float32');
  let ok = false;
  try {
    const aSize = M * K;
    const bSize = K * N;
    const oSize = M * N;
    let aSlice: TensorInfo = { dataId: a.dataId, shape: [1, M, K], dtype: a.dtype };
    if (batchA > 1) {
      aSlice = wasm.makeOutput([1, M, K], 'float32');
      p.temps.push(aSlice);
    }
    for (let o = 0; o < idx.a.length; o++) {
      const bSlice = wasm.makeOutput([1, K, N], 'float32');
      let outSlice: TensorInfo | undefined;
      try {
        // Heap views are taken after every allocation: malloc may grow the
        // wasm memory and detach earlier views.
        const bAll = wasm.typedArrayFromHeap(b);
        wasm.typedArrayFromHeap(bSlice).set(bAll.subarray(idx.b[o] * bSize, (idx.b[o] + 1) * bSize));
        if (batchA > 1) {
          const aAll = wasm.typedArrayFromHeap(a);
          wasm.typedArrayFromHeap(aSlice).set(aAll.subarray(idx.a[o] * aSize, (idx.a[o] + 1) * aSize));
        }
        outSlice = run(aSlice, bSlice);
        wasm.typedArrayFromHeap(out).set(wasm.typedArrayFromHeap(outSlice), o * oSize);
      } finally {
        if (outSlice !== undefined) wasm.disposeData(outSlice.dataId);
        wasm.disposeData(bSlice.dataId);
      }
    }
    ok = true;
    return out;
  } finally {
    if (!ok) wasm.disposeData(out.dataId);
  }
}

/**
 * Wraps a (fused) matmul kernel. BatchMatMul ({a, b}) and _FusedMatMul
 * ({a, b, bias?, preluActivationWeights?}) both name their operands a and b
 * and their attrs transposeA / transposeB, so one wrapper serves both; other
 * inputs/attrs pass through unchanged. Non-float32 inputs go straight to the
 * original (which rejects them with its own message).
 *
 * _FusedMatMul is always kept on XNNPACK (split even for tiny slices): the
 * naive loop adds a rank-1 bias correctly only to the FIRST output row
 * (bias index = min(i*N + j, N-1); verified against cpu), so with batches or
 * transposes the original wasm kernel returns wrong values. Each slice gets
 * the whole bias [N] and the activation is elementwise, so splitting is
 * exact. With prelu weights the original batching is kept (their broadcast
 * against a slice is not obviously the same).
 */
/** The BLAS that plain BatchMatMul uses, read at each call so it can be switched per process. */
let nativeBlas: NativeBlas | null = null;

/**
 * Routes the wasm BatchMatMul through `blas` (null: back to XNNPACK). _FusedMatMul keeps
 * its XNNPACK route: the model never calls it, and its bias/activation would need kernels
 * of their own here. The addon's AdamW update (wasmAdamW.ts) and fused elementwise
 * kernels (wasmFused.ts) go with it.
 */
export function useNativeBlas(blas: NativeBlas | null): void {
  nativeBlas = blas;
  useNativeAdamW(blas?.adamw ?? null);
  useNativeFused(blas);
}

function makeFastMatMul(original: KernelFunc, transpose: KernelFunc, fused: boolean): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = inputs.a;
    const b = inputs.b;
    if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return original({ inputs, backend, attrs });
    }
    const transposeA = attrs?.transposeA === true;
    const transposeB = attrs?.transposeB === true;
    const innerA = a.shape[a.shape.length - (transposeA ? 2 : 1)];
    const innerB = b.shape[b.shape.length - (transposeB ? 1 : 2)];
    if (a.shape.length < 2 || b.shape.length < 2 || innerA !== innerB) {
      return original({ inputs, backend, attrs }); // its error names the caller's transposes
    }
    if (!fused && nativeBlas !== null) {
      const out = blasMatMul(a, b, transposeA, transposeB, backend, nativeBlas);
      if (out !== null) return out;
    }
    const p: MatMulPlumbing = { original, transpose, backend, temps: [] };
    try {
      const a2 = transposeA ? swapLastTwoAxes(a, p) : a;
      const b2 = transposeB ? swapLastTwoAxes(b, p) : b;
      const newAttrs: NamedAttrMap = { ...attrs, transposeA: false, transposeB: false };
      // The remaining inputs (fused: bias, preluActivationWeights) pass through.
      const extra: NamedTensorInfoMap = {};
      for (const [name, info] of Object.entries(inputs)) {
        if (name !== 'a' && name !== 'b') extra[name] = info;
      }
      // Folding batches into rows changes the output layout the prelu weights
      // would broadcast against, so fused+prelu keeps the original batching.
      if (fused && inputs.preluActivationWeights != null) {
        return original({ inputs: { ...extra, a: a2, b: b2 }, backend, attrs: newAttrs });
      }
      return plainMatMul(a2, b2, newAttrs, extra, fused, p);
    } finally {
      // Intermediates were made by backend.makeOutput (refCount 1) and are
      // unknown to the engine, so they must be freed here.
      const wasm = asWasm(backend);
      for (const t of p.temps) wasm.disposeData(t.dataId);
    }
  };
}

/** Replaces wasm's `kernelName` with make(original) once (a second call is a no-op). */
function overrideKernel(kernelName: string, make: (original: KernelFunc) => KernelFunc): void {
  const original = getKernel(kernelName, WASM);
  if (original === undefined || isOverridden(original)) return;
  const config: MarkedKernelConfig = {
    kernelName,
    backendName: WASM,
    kernelFunc: make(original.kernelFunc),
    // Keep the original setup (it cwraps the C++ entry point the original
    // kernelFunc calls). If the backend is already initialised the setup has
    // run; if not, the engine runs it for this config at initialisation.
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    solarStudioOverride: true,
  };
  unregisterKernel(kernelName, WASM);
  registerKernel(config);
}

// ---------------------------------------------------------------------------

/**
 * Installs the wasm kernel patches. Call after '@tensorflow/tfjs-backend-wasm'
 * has been imported (it registers the wasm kernels); before or after
 * tf.setBackend('wasm') both work. Idempotent.
 */
export function registerWasmKernelOverrides(): void {
  const transposeConfig = getKernel('Transpose', WASM);
  if (getKernel('BatchMatMul', WASM) === undefined || transposeConfig === undefined) {
    throw new Error(
      "registerWasmKernelOverrides: wasm kernels are not registered; import '@tensorflow/tfjs-backend-wasm' first",
    );
  }
  const transpose = transposeConfig.kernelFunc;
  overrideKernel('BatchMatMul', (original) => makeFastMatMul(original, transpose, false));
  overrideKernel('_FusedMatMul', (original) => makeFastMatMul(original, transpose, true));
  overrideKernel('Identity', makeIdentityKernel);
  overrideKernel('Cast', makeCastKernel);
  overrideKernel('GatherV2', makeGatherKernel);
  overrideKernel('OneHot', () => oneHotKernel);
  overrideKernel('Slice', makeSliceKernel);
  overrideKernel('SplitV', makeSplitVKernel);

  if (getKernel('UnsortedSegmentSum', WASM) === undefined) {
    const config: MarkedKernelConfig = {
      kernelName: 'UnsortedSegmentSum',
      backendName: WASM,
      kernelFunc: unsortedSegmentSumKernel,
      solarStudioOverride: true,
    };
    registerKernel(config);
  }
}
