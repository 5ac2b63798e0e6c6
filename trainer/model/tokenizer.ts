// The tokenizer interface every part of the trainer uses (batches, decoding, which eval
// items fit, checkpoints), and its built-in implementation.
//
// Every row, under every tokenizer, is laid out as
//   head  prompt  mid  response  end
// where head, mid and end are fixed token runs the tokenizer chooses: for the byte-level
// model <bos>, <sep> and <eos>; for a Hugging Face tokenizer with a chat template the
// template's text before the user message, between it and the assistant message, and the
// end-of-turn token (trainer/model/hfTokenizer.ts). Only the response and `end` are
// trained on.
//
// Byte-level: every UTF-8 byte is a token (ids 0..255), plus four specials. It needs no
// downloads and covers every script, at the price of longer sequences (a Telugu character
// is 3 tokens).

export const PAD = 256;
export const BOS = 257;
export const SEP = 258;
export const EOS = 259;
export const VOCAB_SIZE = 260;

export interface EncodedPair {
  /** Token ids, length <= maxLen. */
  ids: number[];
  /** Index of the first response token (just after the prompt and `mid`). */
  responseStart: number;
}

export interface Tokenizer {
  /** 'bytes' for the built-in byte-level tokenizer, 'huggingface' for a tokenizer.json. */
  readonly kind: 'bytes' | 'huggingface';
  /** Embedding rows the ids need: every id is below this. */
  readonly vocabSize: number;
  /** null when the tokenizer has none (Qwen2). */
  readonly bosId: number | null;
  readonly eosId: number;
  /** Fills rows up to the batch's length; never trained on. */
  readonly padId: number;
  /** Tokens that end a generation: <eos> and, under a chat template, its end-of-turn token. */
  readonly stopIds: readonly number[];
  /** A prompt/response pair in the row layout, cut to maxLen (see layoutPair). */
  encodePair(prompt: string, response: string | undefined, maxLen: number): EncodedPair;
  /** Tokens the prompt takes uncut in the layout: head + prompt + mid. */
  promptLength(prompt: string): number;
  /** Tokens the response takes in the layout: response + end. */
  responseLength(response: string): number;
  /** Text of generated ids, special tokens dropped. */
  decode(ids: readonly number[]): string;
  /** The files that define it (absolute paths), copied into every checkpoint; none for the built-in one. */
  readonly sourceFiles: readonly string[];
}

/**
 * Lay out head + prompt + mid + response + end in at most maxLen tokens. When too long,
 * the prompt is cut from the left (its end is closest to the response) and the response
 * from the right, keeping at least a quarter of maxLen for the response. `response`
 * already ends with `end` (empty when there is no response).
 */
export function layoutPair(
  head: readonly number[],
  prompt: readonly number[],
  mid: readonly number[],
  response: readonly number[],
  maxLen: number,
): EncodedPair {
  let p = prompt;
  let r = response;
  const budget = maxLen - head.length - mid.length;
  if (p.length + r.length > budget) {
    const keepR = Math.min(r.length, Math.max(Math.floor(maxLen / 4), budget - p.length), Math.max(0, budget));
    r = r.slice(0, keepR);
    p = p.slice(Math.max(0, p.length - Math.max(0, budget - r.length)));
  }
  return { ids: [...head, ...p, ...mid, ...r], responseStart: head.length + p.length + mid.length };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export function encodeText(text: string): number[] {
  return Array.from(encoder.encode(text));
}

/** Decode ids back to text, dropping special tokens; invalid UTF-8 becomes U+FFFD. */
export function decodeIds(ids: readonly number[]): string {
  return decoder.decode(Uint8Array.from(ids.filter((id) => id < 256)));
}

/** The byte-level row: <bos> prompt-bytes <sep> response-bytes <eos>. */
export function encodePair(prompt: string, response: string | undefined, maxLen: number): EncodedPair {
  const r = response === undefined ? [] : [...encodeText(response), EOS];
  return layoutPair([BOS], encodeText(prompt), [SEP], r, maxLen);
}

/** The built-in model's tokenizer. */
export const BYTE_TOKENIZER: Tokenizer = {
  kind: 'bytes',
  vocabSize: VOCAB_SIZE,
  bosId: BOS,
  eosId: EOS,
  padId: PAD,
  stopIds: [EOS],
  encodePair,
  promptLength: (prompt) => encoder.encode(prompt).length + 2,
  responseLength: (response) => encoder.encode(response).length + 1,
  decode: decodeIds,
  sourceFiles: [],
};
