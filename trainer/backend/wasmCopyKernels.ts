// Data-movement kernels of tfjs-backend-wasm 4.22 replaced by ones that move less memory
// (or, for OneHot, get the dtype right). Measured in one tiny-preset training step (bench/kernelProfile.ts): 367
// Identity calls took 30 ms (7.5% of the step) and one GatherV2 16 ms (4%).
//
// - Identity: the engine clones every tensor it saves for the gradient tape
//   (engine.saveTensorsForBackwardMode -> clone -> Identity), and wasm's Identity mallocs
//   and copies. The cpu backend shares the data instead (incRef), as wasm's own Reshape
//   does; kernels never write into their inputs, so sharing is safe, and it also halves
//   the memory those saved tensors hold.
// - Cast to the tensor's own dtype: the same copy, the same sharing. (And Cast to bool,
//   which wasm gets wrong for values outside 0..255.)
// - GatherV2 (the embedding lookup): wasm's C++ loop computes a strided index per element
//   (~30-45 ns each); here each gathered row is one contiguous copy.
// - OneHot: wasm's C++ writes int32 whatever dtype was asked for, so a float32 one-hot
//   read back as float32 held 1.4e-45 where it should hold 1.
// - Slice and SplitV of a contiguous block: wasm's Slice first reads the whole input out of
//   the heap (readSync, a copy), and SplitV does that once per part: splitting the stacked
//   q, k, v weights' gradient of a ~100M model took 11 ms a layer. Here each part is one
//   copy of its own block.
import { backend_util, type KernelFunc, slice_util, type TensorInfo, util } from '@tensorflow/tfjs-core';
import { asWasm } from './wasmBackendView';

function share(x: TensorInfo, backend: unknown): TensorInfo {
  asWasm(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Identity sharing x's data; strings (kept off the heap) go to wasm's own kernel. */
export function makeIdentityKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    if (x === undefined || x.dtype === 'string') return original(args);
    return share(x, args.backend);
  };
}

/**
 * Cast to x's own dtype shares x's data. Cast to bool is x != 0: wasm's own kernel stores
 * the low byte (-3 became 253, 256 became 0). Other conversions go to wasm's own kernel.
 */
export function makeCastKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    const dtype = args.attrs?.dtype;
    if (x === undefined || x.dtype === 'string') return original(args);
    if (dtype === x.dtype) return share(x, args.backend);
    if (dtype !== 'bool') return original(args);
    const wasm = asWasm(args.backend);
    const out = wasm.makeOutput(x.shape, 'bool');
    const xv = wasm.typedArrayFromHeap(x); // after makeOutput: a heap growth detaches views
    const ov = wasm.typedArrayFromHeap(out);
    for (let i = 0; i < xv.length; i++) ov[i] = xv[i] !== 0 ? 1 : 0;
    return out;
  };
}

/**
 * GatherV2 with batchDims 0: x [...outer, D, ...inner], indices [...I] (int32) ->
 * [...outer, ...I, ...inner], one contiguous copy of `inner` values per (outer, index).
 * Other cases (batchDims > 0, non-numeric x) go to wasm's own kernel. An index outside
 * [0, D) is an error naming it, as on the cpu backend.
 */
export function makeGatherKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs;
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (x === undefined || indices === undefined || batchDims !== 0) return original(args);
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args);
    if (indices.dtype !== 'int32') return original(args);
    const rank = x.shape.length;
    const rawAxis = Number(args.attrs?.axis ?? 0);
    const axis = rawAxis < 0 ? rawAxis + rank : rawAxis;
    if (!(axis >= 0 && axis < rank)) return original(args); // its error names the axis
    const D = x.shape[axis];
    const outerShape = x.shape.slice(0, axis);
    const innerShape = x.shape.slice(axis + 1);
    const outer = util.sizeFromShape(outerShape);
    const inner = util.sizeFromShape(innerShape);
    const n = util.sizeFromShape(indices.shape);

    const wasm = asWasm(args.backend);
    const out = wasm.makeOutput([...outerShape, ...indices.shape, ...innerShape], x.dtype);
    try {
      // Views after makeOutput: its malloc may grow the heap and detach older views.
      const xv = wasm.typedArrayFromHeap(x);
      const iv = wasm.typedArrayFromHeap(indices);
      const ov = wasm.typedArrayFromHeap(out);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < n; i++) {
          const idx = iv[i];
          if (!(idx >= 0 && idx < D)) {
            throw new Error(`GatherV2: the index value ${idx} is not in [0, ${D - 1}]`);
          }
          const src = (o * D + idx) * inner;
          const dst = (o * n + i) * inner;
          if (inner >= 16) ov.set(xv.subarray(src, src + inner), dst);
          else for (let j = 0; j < inner; j++) ov[dst + j] = xv[src + j];
        }
      }
    } catch (e) {
      wasm.disposeData(out.dataId);
      throw e;
    }
    return out;
  };
}

/**
 * OneHot in JS: indices [...] (int32) -> [..., depth] of `dtype` (float32 or int32),
 * onValue where the index is, offValue elsewhere; an index outside [0, depth) gives an
 * all-off row (TensorFlow's rule).
 */
export const oneHotKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const indices = inputs.indices;
  const depth = Number(attrs?.depth);
  const onValue = Number(attrs?.onValue ?? 1);
  const offValue = Number(attrs?.offValue ?? 0);
  const dtype = attrs?.dtype === 'float32' ? 'float32' : 'int32';
  if (indices === undefined) throw new Error('OneHot: input indices is required');
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`OneHot: depth must be a positive integer, got ${depth}`);
  const wasm = asWasm(backend);
  const out = wasm.makeOutput([...indices.shape, depth], dtype);
  const iv = wasm.typedArrayFromHeap(indices); // after makeOutput: a heap growth detaches views
  const ov = wasm.typedArrayFromHeap(out);
  ov.fill(offValue);
  for (let i = 0; i < iv.length; i++) {
    const k = iv[i];
    if (k >= 0 && k < depth) ov[i * depth + k] = onValue;
  }
  return out;
};

/** x[begin : begin + size] as one copy on the heap, or null where that block is not contiguous (or x is strings). */
function sliceBlock(x: TensorInfo, begin: number[], size: number[], backend: unknown): TensorInfo | null {
  if (x.dtype === 'string') return null;
  const [b, s] = slice_util.parseSliceParams(x, begin, size);
  if (!slice_util.isSliceContinous(x.shape, b, s)) return null;
  const wasm = asWasm(backend);
  const out = wasm.makeOutput(s, x.dtype);
  const offset = slice_util.computeFlatOffset(b, util.computeStrides(x.shape));
  // Views after makeOutput: its malloc may grow the heap and detach older views.
  const xv = wasm.typedArrayFromHeap(x);
  wasm.typedArrayFromHeap(out).set(xv.subarray(offset, offset + util.sizeFromShape(s)));
  return out;
}

/** Slice of a contiguous block: one copy; other slices go to wasm's own kernel. */
export function makeSliceKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    const { begin, size } = (args.attrs ?? {}) as { begin?: number | number[]; size?: number | number[] };
    if (x === undefined || begin === undefined || size === undefined) return original(args);
    return sliceBlock(x, [begin].flat(), [size].flat(), args.backend) ?? original(args);
  };
}

/** SplitV into contiguous blocks (along the first axis longer than 1): one copy each; else wasm's own. */
export function makeSplitVKernel(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x;
    const { numOrSizeSplits, axis } = (args.attrs ?? {}) as {
      numOrSizeSplits?: number | number[];
      axis?: number | number[];
    };
    if (x === undefined || numOrSizeSplits === undefined || axis === undefined || x.dtype === 'string')
      return original(args);
    const ax = util.parseAxisParam(axis, x.shape)[0];
    if (x.shape.slice(0, ax).some((n) => n !== 1)) return original(args);
    const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    const parts: TensorInfo[] = [];
    for (const n of sizes) {
      const size = [...x.shape];
      size[ax] = n;
      parts.push(sliceBlock(x, [...begin], size, args.backend)!);
      begin[ax] += n;
    }
    return parts;
  };
}
