// The parallel dataset line (`*.parallel.jsonl`): one item, many languages.
// This schema is the single definition; the trainer, the importers and the
// dataset editor all validate with it.
import { z } from 'zod';

/** ISO 639-1/-3 style language code: "en", "sw", "yo", "zh-Hant" ... */
export const LanguageCode = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language code such as "en" or "sw"');

/** One language's side of a parallel item. */
export const LanguageEntry = z.strictObject({
  /** The question / instruction shown to the model. */
  prompt: z.string().min(1, 'a non-empty prompt'),
  /** The target response (step-by-step answer). Absent in eval-only sets. */
  response: z.string().min(1, 'a non-empty response').optional(),
  /** Multiple-choice options; when present, `answer` is the 0-based index of the right one. */
  choices: z.array(z.string().min(1)).min(2).optional(),
});
export type LanguageEntry = z.infer<typeof LanguageEntry>;

export const ParallelItem = z.strictObject({
  /** Stable id, unique within the file; joins the languages of one item. */
  id: z.string().min(1, 'a non-empty id'),
  /** Gold label shared by every language: a number for reasoning items, a choice index for multiple choice. */
  answer: z.string().min(1, 'a non-empty answer'),
  /** language code -> that language's prompt/response. */
  langs: z.record(LanguageCode, LanguageEntry).refine((l) => Object.keys(l).length > 0, 'at least one language'),
});
export type ParallelItem = z.infer<typeof ParallelItem>;
