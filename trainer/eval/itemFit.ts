// Which eval items the model's context can hold whole. The tokenizer cuts a prompt that
// does not fit from the left, and a generation that starts at the end of the context
// stops after at most a token, so scoring such an item would measure the cut, not the
// model: these items are left out of accuracy and counted, per language and reason.
import type { LanguageEntry } from '../../protocol/dataset';
import type { SkipReason } from '../../protocol/metrics';
import { encodeText } from '../model/tokenizer';

export interface FitOptions {
  maxSeqLen: number;
  maxNewTokens: number;
}

/** Tokens a prompt takes in the model's layout: its bytes plus <bos> and <sep>. */
export function promptTokens(prompt: string): number {
  return encodeText(prompt).length + 2;
}

/** True when the prompt is fed to the model whole (not cut from the left). */
export function promptFits(prompt: string, maxSeqLen: number): boolean {
  return promptTokens(prompt) <= maxSeqLen;
}

/**
 * Tokens a generation needs after its prompt to be worth scoring, the fewest of: a quarter
 * of the context (the share training keeps for a response when it cuts a prompt), the
 * item's reference response and <eos> when it has one, and maxNewTokens.
 */
export function answerRoom(entry: LanguageEntry, o: FitOptions): number {
  const quarter = Math.max(1, Math.floor(o.maxSeqLen / 4));
  const reference = entry.response === undefined ? quarter : encodeText(entry.response).length + 1;
  return Math.min(o.maxNewTokens, quarter, reference);
}

/** Why this language's side of an item cannot be scored whole, or undefined when it can. */
export function skipReason(entry: LanguageEntry, o: FitOptions): SkipReason | undefined {
  const prompt = promptTokens(entry.prompt);
  if (entry.choices) {
    // A choice is scored as the response: prompt, choice and <eos> must all fit uncut.
    const longest = Math.max(...entry.choices.map((c) => encodeText(c).length));
    return prompt + longest + 1 > o.maxSeqLen ? 'tooLong' : undefined;
  }
  if (prompt > o.maxSeqLen) return 'tooLong';
  return o.maxSeqLen - prompt < answerRoom(entry, o) ? 'noRoom' : undefined;
}
