// UnsortedSegmentSum for the wasm backend, which lacks it: the gradient of tf.gather
// (every embedding lookup) needs it. A JS kernel working directly on the wasm heap.
import { type KernelFunc, util } from '@tensorflow/tfjs-core';
import { asWasm } from './wasmBackendView';

/**
 * out[s, ...] = sum of x[i, ...] over all i with segmentIds[i] == s.
 *
 * x: [...idsShape, ...rest]   (float32 or int32)
 * segmentIds: idsShape        (int32; tf.gather's gradient passes rank 1)
 * attrs.numSegments: number
 * out: [numSegments, ...rest] with x's dtype. Ids outside [0, numSegments)
 * are ignored, as in TensorFlow and the tfjs cpu kernel.
 */
export const unsortedSegmentSumKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x;
  const segmentIds = inputs.segmentIds;
  const numSegments = attrs?.numSegments;
  if (x === undefined || segmentIds === undefined) {
    throw new Error('UnsortedSegmentSum: inputs x and segmentIds are required');
  }
  if (typeof numSegments !== 'number' || !Number.isInteger(numSegments) || numSegments < 0) {
    throw new Error(`UnsortedSegmentSum: numSegments must be a non-negative integer, got ${String(numSegments)}`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32/int32 x, got ${x.dtype}`);
  }
  if (segmentIds.dtype !== 'int32' && segmentIds.dtype !== 'float32') {
    throw new Error(`UnsortedSegmentSum: segmentIds must be int32, got ${segmentIds.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  const leading = x.shape.slice(0, idsRank);
  if (!util.arraysEqual(leading, segmentIds.shape)) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must prefix x shape [${x.shape}]`);
  }
  const rest = x.shape.slice(idsRank);
  const inner = util.sizeFromShape(rest);
  const n = util.sizeFromShape(segmentIds.shape);

  const wasm = asWasm(backend);
  const out = wasm.makeOutput([numSegments, ...rest], x.dtype);
  // makeOutput mallocs and may grow (and detach) the heap's ArrayBuffer, so
  // the views are taken only after it.
  const outVals = wasm.typedArrayFromHeap(out);
  const xVals = wasm.typedArrayFromHeap(x);
  const ids = wasm.typedArrayFromHeap(segmentIds);
  outVals.fill(0); // malloc'd memory is not zeroed
  for (let i = 0; i < n; i++) {
    const s = ids[i];
    if (!(s >= 0 && s < numSegments)) continue; // out of range (or NaN): dropped
    const dst = Math.floor(s) * inner;
    const src = i * inner;
    for (let j = 0; j < inner; j++) outVals[dst + j] += xVals[src + j];
  }
  return out;
};
