// Greedy generation with a key/value cache: the prompt is run once (prefill), then each
// new token costs one position's worth of compute instead of re-running the prefix.
// Prompts of different lengths share a batch by left padding; each row's rotary
// positions start at its first real token and padded keys are masked out. A row ends at
// any of the tokenizer's stop tokens (<eos>, or a chat template's end of turn).
import * as tf from '@tensorflow/tfjs-core';
import { disposeKVCache, type KVCache, newKVCache } from '../model/kvCache';
import { attentionMask, forward, type Params, ropeTables, transformer } from '../model/model';
import { headDim, kvHeads, type ModelConfig } from '../model/modelConfig';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';

export interface GenerateOptions {
  maxNewTokens: number;
  /** Total length limit (prompt + generated), the model's context. */
  maxSeqLen: number;
  /** The model's tokenizer (default: the built-in byte-level one). */
  tokenizer?: Tokenizer;
}

/** Prompt ids as the model saw them in training: the row layout up to the response (<bos> prompt <sep>). */
export function promptIds(prompt: string, maxSeqLen: number, tokenizer: Tokenizer = BYTE_TOKENIZER): number[] {
  return tokenizer.encodePair(prompt, undefined, maxSeqLen).ids;
}

/** One cached step: run `ids` [B, S] at the given positions, return argmax of the last position. */
function step(
  params: Params,
  c: ModelConfig,
  cache: KVCache,
  ids: number[][],
  positions: number[][],
  pad: number[],
): number[] {
  return tf.tidy(() => {
    const { cos, sin } = ropeTables(positions, headDim(c), c.ropeTheta, c.ropeScaling);
    const S = ids[0].length;
    const out = transformer(params, c, {
      ids: tf.tensor2d(ids, [ids.length, S], 'int32'),
      cos,
      sin,
      mask: attentionMask(pad, S, cache.length + S, cache.capacity),
      cache,
      lastLogitsOnly: true,
    });
    const last = tf.squeeze(out.logits, [1]); // [B, 1, V] -> [B, V]
    return Array.from(tf.argMax(last, -1).dataSync());
  });
}

/** Greedy continuations (token ids, the stop token excluded) of a batch of prompts, with a KV cache. */
export function generateIds(params: Params, c: ModelConfig, prompts: number[][], o: GenerateOptions): number[][] {
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const P = Math.max(...prompts.map((p) => p.length));
  const pad = prompts.map((p) => P - p.length);
  const ids = prompts.map((p, b) => [...new Array(pad[b]).fill(tok.padId), ...p]);
  const positions = prompts.map((_, b) => Array.from({ length: P }, (_, t) => Math.max(0, t - pad[b])));
  const out: number[][] = prompts.map(() => []);
  // A row is full once it has its new tokens or fills the context; checked before the first
  // token too, so a prompt that already fills the context gets none, as generateIdsNoCache.
  const full = (b: number) => out[b].length >= o.maxNewTokens || prompts[b].length + out[b].length >= o.maxSeqLen;
  const done = prompts.map((_, b) => full(b));
  if (done.every(Boolean)) return out;
  // Room for the longest continuation any row can still get; a row never outgrows it.
  const room = Math.max(...prompts.map((p) => Math.min(o.maxNewTokens, o.maxSeqLen - p.length)));
  const cache = newKVCache(P + room);
  try {
    let next = step(params, c, cache, ids, positions, pad);
    for (let s = 0; ; s++) {
      next.forEach((t, b) => {
        if (done[b]) return;
        if (tok.stopIds.includes(t)) done[b] = true;
        else out[b].push(t);
        if (full(b)) done[b] = true;
      });
      if (done.every(Boolean)) break;
      next = step(
        params,
        c,
        cache,
        next.map((t) => [t]),
        prompts.map((p) => [p.length + s]),
        pad,
      );
    }
  } finally {
    disposeKVCache(cache);
  }
  return out;
}

/** Reference without a cache: re-runs the whole prefix for every token (tests and benchmarks). */
export function generateIdsNoCache(params: Params, c: ModelConfig, prompt: number[], o: GenerateOptions): number[] {
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const seq = [...prompt];
  const out: number[] = [];
  while (out.length < o.maxNewTokens && seq.length < o.maxSeqLen) {
    const t = tf.tidy(() => {
      const { logits } = forward(params, c, tf.tensor2d([seq], [1, seq.length], 'int32'));
      return tf.argMax(tf.reshape(tf.slice(logits, [0, seq.length - 1, 0], [1, 1, -1]), [-1])).dataSync()[0];
    });
    if (tok.stopIds.includes(t)) break;
    out.push(t);
    seq.push(t);
  }
  return out;
}

/**
 * Prompts per generation batch: 32 (decoding's fixed costs per step spread over more rows;
 * past that, the rows' caches outgrow the CPU's caches), fewer where a row's key/value
 * cache (every layer's keys and values at up to maxSeqLen positions) would take the batch
 * past ~256 MB of memory.
 */
export function generationBatch(c: ModelConfig, maxSeqLen: number): number {
  const rowBytes = c.numHiddenLayers * 2 * kvHeads(c) * headDim(c) * maxSeqLen * 4;
  return Math.max(1, Math.min(32, Math.floor(2 ** 28 / rowBytes)));
}

/**
 * Greedy text continuations of prompt strings, in batches of `batchSize` prompts of
 * similar length (sorted, so a batch's left padding and cache capacity are little more
 * than its own longest prompt needs); the texts come back in the prompts' order.
 */
export function generateTexts(
  params: Params,
  c: ModelConfig,
  prompts: string[],
  o: GenerateOptions,
  batchSize = generationBatch(c, o.maxSeqLen),
): string[] {
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const ids = prompts.map((p) => promptIds(p, o.maxSeqLen, tok));
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
  const texts: string[] = new Array(prompts.length);
  for (let i = 0; i < order.length; i += batchSize) {
    const chunk = order.slice(i, i + batchSize);
    generateIds(
      params,
      c,
      chunk.map((j) => ids[j]),
      o,
    ).forEach((g, k) => {
      texts[chunk[k]] = tok.decode(g);
    });
  }
  return texts;
}
