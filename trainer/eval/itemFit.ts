// Which eval items the model's context can hold whole. The tokenizer cuts a prompt that
// does not fit from the left, and a generation that starts at the end of the context
// stops after at most a token, so scoring such an item would measure the cut, not the
// model: these items are left out of accuracy and counted, per language and reason.
import type { LanguageEntry } from '../../protocol/dataset';
import type { SkipReason } from '../../protocol/metrics';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';

export interface FitOptions {
  maxSeqLen: number;
  maxNewTokens: number;
  /** The model's tokenizer (default: the built-in byte-level one). */
  tokenizer?: Tokenizer;
}

/** Tokens a prompt takes in the model's layout: for the byte-level model its bytes plus <bos> and <sep>. */
export function promptTokens(prompt: string, tokenizer: Tokenizer = BYTE_TOKENIZER): number {
  return tokenizer.promptLength(prompt);
}

/** True when the prompt is fed to the model whole (not cut from the left). */
export function promptFits(prompt: string, maxSeqLen: number, tokenizer: Tokenizer = BYTE_TOKENIZER): boolean {
  return promptTokens(prompt, tokenizer) <= maxSeqLen;
}

/**
 * Tokens a generation needs after its prompt to be worth scoring, the fewest of: a quarter
 * of the context (the share training keeps for a response when it cuts a prompt), the
 * item's reference response and its end token when it has one, and maxNewTokens.
 */
export function answerRoom(entry: LanguageEntry, o: FitOptions): number {
  const quarter = Math.max(1, Math.floor(o.maxSeqLen / 4));
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const reference = entry.response === undefined ? quarter : tok.responseLength(entry.response);
  return Math.min(o.maxNewTokens, quarter, reference);
}

/** Why this language's side of an item cannot be scored whole, or undefined when it can. */
export function skipReason(entry: LanguageEntry, o: FitOptions): SkipReason | undefined {
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const prompt = promptTokens(entry.prompt, tok);
  if (entry.choices) {
    // A choice is scored as the response: prompt, choice and its end token must all fit uncut.
    const longest = Math.max(...entry.choices.map((c) => tok.responseLength(c)));
    return prompt + longest > o.maxSeqLen ? 'tooLong' : undefined;
  }
  if (prompt > o.maxSeqLen) return 'tooLong';
  return o.maxSeqLen - prompt < answerRoom(entry, o) ? 'noRoom' : undefined;
}
