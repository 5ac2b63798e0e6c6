// Byte-level tokenizer: every UTF-8 byte is a token (ids 0..255), plus four specials.
// It needs no downloads and covers every script, at the price of longer sequences
// (a Telugu character is 3 tokens). A sequence is laid out as
//   <bos> prompt-bytes <sep> response-bytes <eos> <pad>...
// and only the response bytes and <eos> are trained on.

export const PAD = 256;
export const BOS = 257;
export const SEP = 258;
export const EOS = 259;
export const VOCAB_SIZE = 260;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

export function encodeText(text: string): number[] {
  return Array.from(encoder.encode(text));
}

/** Decode ids back to text, dropping special tokens; invalid UTF-8 becomes U+FFFD. */
export function decodeIds(ids: readonly number[]): string {
  return decoder.decode(Uint8Array.from(ids.filter((id) => id < 256)));
}

export interface EncodedPair {
  /** Token ids, length <= maxLen. */
  ids: number[];
  /** Index of the first response token (just after <sep>). */
  responseStart: number;
}

/**
 * Encode a prompt/response pair. When too long, the prompt is cut from the left
 * (its end is closest to the response) and the response from the right, keeping
 * at least a quarter of maxLen for the response.
 */
export function encodePair(prompt: string, response: string | undefined, maxLen: number): EncodedPair {
  let p = encodeText(prompt);
  let r = response === undefined ? [] : [...encodeText(response), EOS];
  const budget = maxLen - 2; // <bos> and <sep>
  if (p.length + r.length > budget) {
    const keepR = Math.min(r.length, Math.max(Math.floor(maxLen / 4), budget - p.length));
    r = r.slice(0, keepR);
    p = p.slice(Math.max(0, p.length - (budget - r.length)));
  }
  const ids = [BOS, ...p, SEP, ...r];
  return { ids, responseStart: p.length + 2 };
}
