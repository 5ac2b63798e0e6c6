// How our JS kernels see the wasm backend (shared by the kernel patches).
import type { DataId, DataType, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';

/**
 * The part of BackendWasm (tfjs-backend-wasm/dist/backend_wasm.d.ts) that our
 * JS kernels use. Kernel functions receive the backend typed as `{}`; we view
 * it through this interface rather than importing the wasm package here, so
 * this module stays loadable without pulling the wasm binary in.
 */
export interface WasmBackendView {
  /** Allocates an output on the wasm heap (malloc: contents are NOT zeroed). */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  /** A typed-array view onto the heap; invalidated if the heap grows. */
  typedArrayFromHeap(info: TensorInfo): TypedArray;
  /** Decrements the refCount and frees the heap block when it reaches 0. */
  disposeData(dataId: DataId, force?: boolean): boolean;
  /** One more tensor shares this heap block (wasm's Reshape does it; so does our Identity). */
  incRef(dataId: DataId): void;
  /** How many tensors share this heap block. */
  refCount(dataId: DataId): number;
}

// Narrow cast, kernel plumbing only: the registry types the backend as `{}`.
export function asWasm(backend: unknown): WasmBackendView {
  return backend as WasmBackendView;
}
