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

const LanguageMap = z
  .record(LanguageCode, LanguageEntry)
  .refine((l) => Object.keys(l).length > 0, 'at least one language');

/**
 * JSON.parse keeps a "__proto__" key as an own property, but zod's record (like object
 * spreading) skips it without a word, so that language would silently vanish. It is
 * refused by name before the record is parsed.
 */
const Languages = z.preprocess((value, ctx) => {
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    ctx.issues.push({
      code: 'custom',
      input: value,
      path: ['__proto__'],
      message: 'a language code such as "en" or "sw" ("__proto__" is not one)',
    });
  }
  return value;
}, LanguageMap);

/** Canonical 0-based index: evaluation compares the chosen index as text, so "01" or "1.0" could never score. */
const CHOICE_INDEX = /^(0|[1-9][0-9]*)$/;

export const ParallelItem = z
  .strictObject({
    /** Stable id, unique within the file; joins the languages of one item. */
    id: z.string().min(1, 'a non-empty id'),
    /** Gold label shared by every language: a number for reasoning items, a choice index for multiple choice. */
    answer: z.string().min(1, 'a non-empty answer'),
    /** language code -> that language's prompt/response. */
    langs: Languages,
  })
  .superRefine((item, ctx) => {
    // One answer serves every language, so it must index the choices of each language that has them.
    for (const [lang, entry] of Object.entries(item.langs)) {
      const n = entry.choices?.length;
      if (n === undefined || (CHOICE_INDEX.test(item.answer) && Number(item.answer) < n)) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['answer'],
        input: item.answer,
        message: `a choice index from 0 to ${n - 1}, as langs.${lang}.choices has ${n} choices (got "${item.answer}")`,
      });
      return;
    }
  });
export type ParallelItem = z.infer<typeof ParallelItem>;
