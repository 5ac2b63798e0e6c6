// Heap inputs and outputs for our JS kernels on the wasm backend (wasmFused.ts,
// wasmAttentionKernels.ts): checked views onto the inputs, and outputs freed again when
// the kernel throws.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { asWasm } from './wasmBackendView';

/** Inputs as heap views, checked: float32, all of the first input's shape. */
export function views(name: string, inputs: Record<string, TensorInfo | undefined>, backend: unknown): Float32Array[] {
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
export function outputs(backend: unknown, shapes: number[][], fill: (outs: Float32Array[]) => void): TensorInfo[] {
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
