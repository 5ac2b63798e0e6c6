// `solar data import --responses answer`: training responses built from the gold answer,
// for benchmarks that publish answers but no worked solutions (MGSM, MSVAMP, XCOPA,
// XNLI). Only response tokens are trained on, so without responses such a file can
// only be an eval set. The response is the least that states the answer the way
// evaluation reads it:
// - numeric answers: the item language's answer sentence, "The answer is 42." in
//   English, "Jibu ni 42." in Swahili: the sentence the synthetic generator's worked
//   responses end with, so imported and synthetic data state answers alike, and
//   evaluation reads the last number of the output, in the item's language. So the
//   number is the gold answer (ASCII digits, no grouping) with that language's decimal
//   mark: "1,234" in German, where "1.234" would read as one thousand two hundred and
//   thirty-four.
//   A language without a known sentence gets the bare number, written the same way.
// - multiple choice: the text of the right choice, the very string evaluation scores
//   (the likelihood of each choice as the response to the prompt).
// There are no worked steps: the benchmarks do not have them, and inventing them would
// teach reasoning nobody checked.

import type { LanguageEntry, ParallelItem } from '../../../protocol/dataset';
import { numberStyle } from '../../eval/numberStyles';

/** How to fill in missing responses: leave them out, or build them from the answer. */
export type ResponseMode = 'none' | 'answer';
export const RESPONSE_MODES: readonly ResponseMode[] = ['none', 'answer'];

/** The final sentence of the generator's responses (trainer/data/generate/languages), per language. */
const ANSWER_SENTENCES: Readonly<Record<string, (n: string) => string>> = {
  en: (n) => `The answer is ${n}.`,
  es: (n) => `La respuesta es ${n}.`,
  fr: (n) => `La réponse est ${n}.`,
  de: (n) => `Die Antwort ist ${n}.`,
  ru: (n) => `Ответ: ${n}.`,
  zh: (n) => `答案是${n}。`,
  ja: (n) => `答えは${n}です。`,
  th: (n) => `คำตอบคือ ${n}`,
  bn: (n) => `উত্তর হলো ${n}।`,
  te: (n) => `సమాధానం ${n}.`,
  sw: (n) => `Jibu ni ${n}.`,
  yo: (n) => `Ìdáhùn náà ni ${n}.`,
};

/**
 * A canonical gold answer ("1250", "5.5", "-3") as the language writes it in running
 * text, with the decimal mark evaluation reads in it (eval/numberStyles.ts). Where a
 * language is written both ways (Spanish), a lone mark before exactly three digits
 * reads as thousands; a fourth digit, a zero, keeps such a decimal a decimal.
 */
function localNumber(lang: string, answer: string): string {
  const { decimal } = numberStyle(lang);
  const n = decimal === '.' ? answer : answer.replace('.', ',');
  return decimal === 'either' && /,[0-9]{3}$/.test(n) ? `${n}0` : n;
}

export const ANSWER_SENTENCE_LANGUAGES: readonly string[] = Object.keys(ANSWER_SENTENCES);

/** The response `--responses answer` gives one language of an item. */
export function answerResponse(lang: string, answer: string, entry: LanguageEntry): string {
  if (entry.choices) return entry.choices[Number(answer)];
  const sentence = Object.hasOwn(ANSWER_SENTENCES, lang) ? ANSWER_SENTENCES[lang] : undefined;
  const n = localNumber(lang, answer);
  return sentence ? sentence(n) : n;
}

/** Items with every missing response filled in from the answer; responses already there are kept. */
export function withAnswerResponses(items: readonly ParallelItem[]): ParallelItem[] {
  return items.map((item) => ({
    ...item,
    langs: Object.fromEntries(
      Object.entries(item.langs).map(([lang, entry]) => [
        lang,
        entry.response ? entry : { ...entry, response: answerResponse(lang, item.answer, entry) },
      ]),
    ),
  }));
}
