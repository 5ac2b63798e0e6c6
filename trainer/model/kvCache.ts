// The key/value cache of greedy decoding: per layer, keys and values [B, KV, cap, hd] of a
// fixed capacity (prompt + new tokens), filled up to `length`. A step writes its S new
// positions at `length` (in place on wasm: trainer/backend/wasmSlotWrite.ts; a new tensor
// elsewhere) and attends over all `cap` slots, the unwritten ones hidden by the mask
// (model.ts attentionMask's width): no per-step concat of everything cached.
import * as tf from '@tensorflow/tfjs-core';
import { writeSlotsInPlace } from '../backend/wasmSlotWrite';

export interface KVCache {
  /** Per layer, [B, KV, capacity, hd]; slots at and after `length` are not yet written. */
  k: tf.Tensor4D[];
  v: tf.Tensor4D[];
  /** Positions written so far (every layer alike); the transformer advances it per call. */
  length: number;
  /** Slots per row: the most positions this cache can hold. */
  capacity: number;
}

export function newKVCache(capacity: number): KVCache {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new Error(`cache capacity must be a positive integer, got ${capacity}`);
  return { k: [], v: [], length: 0, capacity };
}

/**
 * Writes layer `layer`'s new keys or values x [B, KV, S, hd] at slot cache.length and
 * returns the whole [B, KV, capacity, hd] tensor. The cache owns its tensors: they are kept
 * out of any tf.tidy, and one that is replaced is disposed.
 */
export function writeKV(cache: KVCache, which: 'k' | 'v', layer: number, x: tf.Tensor4D): tf.Tensor4D {
  const [B, KV, S, hd] = x.shape;
  const at = cache.length;
  if (at + S > cache.capacity) {
    throw new Error(`the key/value cache holds ${cache.capacity} positions; ${at} + ${S} do not fit`);
  }
  const old = cache[which][layer];
  if (old && writeSlotsInPlace(old, x, at)) return old;
  const parts: tf.Tensor4D[] = [];
  if (old && at > 0) parts.push(tf.slice(old, [0, 0, 0, 0], [B, KV, at, hd]));
  else if (at > 0) throw new Error(`layer ${layer} has no cached ${which} for its first ${at} positions`);
  parts.push(x);
  const rest = cache.capacity - at - S;
  if (rest > 0) parts.push(tf.zeros([B, KV, rest, hd]));
  const next = tf.keep(parts.length === 1 ? tf.clone(x) : tf.concat(parts, 2));
  cache[which][layer] = next;
  old?.dispose();
  return next;
}

export function disposeKVCache(cache: KVCache): void {
  tf.dispose([...cache.k, ...cache.v]);
  cache.k = [];
  cache.v = [];
}
