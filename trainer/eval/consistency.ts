// Cross-lingual answer consistency: does the model give the same answer to the
// same question asked in another language as in the pivot (usually English)?
// Accuracy alone hides this; a model can score 60% in two languages while
// getting different items right in each.

import { answersMatch } from './extractAnswer';

export interface LanguageConsistency {
  /** Items present in both this language and the pivot. */
  items: number;
  /** Share of those items where this language's answer equals the pivot's. */
  sameAnswer: number;
  /** Items right in both languages / items right in at least one (0 when neither ever is). */
  correctBothOverEither: number;
}

/**
 * Equality of two answers: numerically when both read as numbers (so "7" and
 * "7.0" agree), otherwise as trimmed strings (choice labels and the like).
 */
function same(a: string, b: string): boolean {
  return answersMatch(a, b) || a.trim() === b.trim();
}

/**
 * Per non-pivot language consistency with the pivot.
 *
 * `answers` maps a language to one extracted answer per item, aligned with
 * `gold` by index. `undefined` (or a missing trailing entry) means the item
 * does not exist in that language and is left out; `null` means the item was
 * asked but no answer could be extracted, which counts as present, different
 * from any other answer and wrong. (Treating a failed extraction as "absent"
 * would reward a model for answering in the wrong format.)
 */
export function consistency(
  answers: ReadonlyMap<string, ReadonlyArray<string | null | undefined>>,
  gold: readonly string[],
  pivot: string,
): Record<string, LanguageConsistency> {
  const pivotAnswers = answers.get(pivot);
  if (!pivotAnswers) throw new Error(`consistency: no answers for pivot language "${pivot}"`);
  for (const [lang, langAnswers] of answers) {
    if (langAnswers.length > gold.length) {
      throw new Error(`consistency: "${lang}" has ${langAnswers.length} answers for ${gold.length} gold items`);
    }
  }
  const result: Record<string, LanguageConsistency> = {};
  for (const [lang, langAnswers] of answers) {
    if (lang === pivot) continue;
    let items = 0;
    let agree = 0;
    let both = 0;
    let either = 0;
    for (let k = 0; k < gold.length; k++) {
      const p = pivotAnswers[k];
      const a = langAnswers[k];
      if (p === undefined || a === undefined) continue;
      items++;
      if (p !== null && a !== null && same(p, a)) agree++;
      const pRight = p !== null && same(p, gold[k]);
      const aRight = a !== null && same(a, gold[k]);
      if (pRight && aRight) both++;
      if (pRight || aRight) either++;
    }
    result[lang] = {
      items,
      sameAnswer: items > 0 ? agree / items : 0,
      correctBothOverEither: either > 0 ? both / either : 0,
    };
  }
  return result;
}
