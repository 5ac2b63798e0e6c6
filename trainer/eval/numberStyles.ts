// How each language writes a number, so answer extraction reads "70.000" as seventy
// thousand in German and as seventy in English. The conventions are CLDR's, plus what
// native speakers write in running text where it differs (ordinary spaces between
// thousands groups, Swiss apostrophes, Chinese and Japanese 万/億 multipliers).

export interface NumberStyle {
  /**
   * The decimal mark. "either" where countries of one language disagree (Spanish:
   * Spain writes 1.000,5, Mexico 1,000.5): a lone mark followed by exactly three
   * digits is then read as a thousands separator, which is what both mean by "1.000"
   * and "1,000" in an answer, and any other lone mark as the decimal mark.
   */
  decimal: '.' | ',' | 'either';
  /** An ordinary space groups thousands ("70 000" in French, "114 200" in Russian). */
  spaceGroups: boolean;
  /** Digits take Chinese/Japanese multipliers: "7万" is 70000, "1億2000万" 120000000. */
  cjkUnits: boolean;
}

/** What an unknown language (or a canonical answer) is read with: English conventions. */
export const NEUTRAL_STYLE: NumberStyle = { decimal: '.', spaceGroups: false, cjkUnits: false };

const dot: NumberStyle = NEUTRAL_STYLE;
const comma: NumberStyle = { decimal: ',', spaceGroups: false, cjkUnits: false };
const commaSpace: NumberStyle = { decimal: ',', spaceGroups: true, cjkUnits: false };
const cjk: NumberStyle = { decimal: '.', spaceGroups: false, cjkUnits: true };

/**
 * The generator's twelve languages first, then those of the benchmarks the importers
 * read (MGSM, MSVAMP, XCOPA, XNLI). Languages not listed read like English.
 */
const STYLES: ReadonlyMap<string, NumberStyle> = new Map([
  ['en', dot],
  ['es', { decimal: 'either', spaceGroups: true, cjkUnits: false }],
  ['fr', commaSpace],
  ['de', commaSpace],
  ['de-CH', { decimal: '.', spaceGroups: true, cjkUnits: false }],
  ['ru', commaSpace],
  ['zh', cjk],
  ['ja', cjk],
  ['th', dot],
  ['bn', dot],
  ['te', dot],
  ['sw', dot],
  ['yo', dot],
  // Benchmark languages beyond the generator's.
  ['it', comma],
  ['pt', commaSpace],
  ['id', comma],
  ['tr', comma],
  ['vi', comma],
  ['el', comma],
  ['ht', commaSpace],
  ['et', commaSpace],
  ['bg', commaSpace],
  ['uk', commaSpace],
  ['pl', commaSpace],
  ['cs', commaSpace],
]);

/** The style of a language code: the full code ("de-CH"), else its base ("zh-Hant" -> "zh"), else English. */
export function numberStyle(lang: string | undefined): NumberStyle {
  if (lang === undefined) return NEUTRAL_STYLE;
  return STYLES.get(lang) ?? STYLES.get(lang.split('-')[0]) ?? NEUTRAL_STYLE;
}
