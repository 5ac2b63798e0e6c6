// Writing new positions into a key/value cache tensor in place on the wasm heap, so a
// decoding step does not copy the whole cache (tfjs tensors are immutable: appending one
// position with concat copies all L cached ones, every layer, every step; at batch 16 and
// 512 positions that was ~40% of a tiny model's decoding time).

import * as tf from '@tensorflow/tfjs-core';
import { asWasm } from './wasmBackendView';

/**
 * Writes x [B, KV, S, hd] into slots offset..offset+S-1 of cache [B, KV, cap, hd] in place
 * and returns true; false (nothing written) where that is not possible: another backend,
 * or another tensor sharing the cache's memory (it would see the change).
 */
export function writeSlotsInPlace(cache: tf.Tensor4D, x: tf.Tensor4D, offset: number): boolean {
  if (tf.getBackend() !== 'wasm' || cache.dtype !== 'float32' || x.dtype !== 'float32') return false;
  const [B, KV, cap, hd] = cache.shape;
  const S = x.shape[2];
  if (x.shape[0] !== B || x.shape[1] !== KV || x.shape[3] !== hd || offset < 0 || offset + S > cap) {
    throw new Error(`cache write: [${x.shape}] at ${offset} does not fit a cache of [${cache.shape}]`);
  }
  const wasm = asWasm(tf.backend());
  if (wasm.refCount(cache.dataId) > 1) return false;
  const dst = wasm.typedArrayFromHeap(cache) as Float32Array;
  const src = wasm.typedArrayFromHeap(x) as Float32Array;
  const run = S * hd; // one head's new positions, contiguous in both
  for (let bh = 0; bh < B * KV; bh++) {
    dst.set(src.subarray(bh * run, (bh + 1) * run), (bh * cap + offset) * hd);
  }
  return true;
}
