// Pulls the final numeric answer out of a model generation, in any script the
// trainer's languages use, and turns it into one canonical spelling so that
// "১,২৩৪.৫০", "1 234,5" and "1234.5" all score as the same answer. How a language
// writes numbers (numberStyles.ts) decides what "70.000" means: 70000 in German,
// 70 in English.
//
// Rules (test/trainer/eval/extractAnswer.test.ts and numberStyles.test.ts pin them):
// - Native digits (Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali,
//   Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Thai, Lao,
//   Tibetan, Myanmar, Khmer, Mongolian, NKo, full-width) become ASCII; full-width
//   "，" "．" "－", the Arabic decimal/thousands marks "٫" "٬" and "−" become ASCII.
// - The LAST number in the text wins: models restate the question's numbers
//   first and give the answer at the end.
// - Inside a number, "," "." and no-break/narrow no-break/thin/figure spaces are
//   separators when a digit follows; an apostrophe (Swiss "1'000", "1’000") and, in
//   languages that group with spaces (fr, ru, de, es ...), an ordinary space are
//   separators only before exactly three digits. Anything else ends the number, so a
//   sentence-final "70.000." is 70000 in German, "3 456" is two numbers in English,
//   and "5'10" is two numbers.
// - Which separator is the decimal mark:
//   * both "," and "." present: the last one is the decimal mark ("1,234.50",
//     "1.234,5" are both 1234.5);
//   * one mark repeated ("1,234,567", "1.234.567"): thousands separators;
//   * one mark after space or apostrophe groups ("1 234,5", "1'234.50"): decimal;
//   * a lone mark that is the language's decimal mark: decimal ("1.234" is 1.234 in
//     English, "1,000" is 1 in German);
//   * any other lone mark: thousands when exactly three digits follow a lead group
//     of 1-3 digits other than "0" ("1,234" in English and "70.000" in German are
//     thousands), otherwise decimal ("7,5", "0,500" in English, "1.5" in German).
//   Without a language, English conventions apply (canonical answers read this way).
//   Thousands groups must be well formed: 1-3 leading digits then groups of
//   three, or the Indian lakh/crore grouping with commas ("12,34,567").
//   A token that breaks these rules ("1.2.3", "1,2,3") is read as a list and
//   its last group wins, consistent with "last number wins".
// - In Chinese and Japanese, 千 万 萬 亿 億 兆 after digits multiply ("7万" is 70000,
//   "1万2千" 12000); 千 before 克 米 瓦 卡 is the metric prefix (千克 = kg), not a multiplier.
// - "-" is a sign unless it directly follows a digit, a cased (Latin,
//   Cyrillic, Greek ...) letter or a closing bracket: "5-3" and "x-3" end in
//   3, while "= -3" and "答案是-3" are -3 (uncased scripts write no space
//   before the sign).
// - Not handled on purpose: fractions ("3/4" gives 4), exponents, number
//   words, CJK numerals without digits, a leading ".5".
import { type NumberStyle, numberStyle } from './numberStyles';

/** Code points of digit zero in scripts whose ten digits are consecutive. */
const DIGIT_ZEROS: readonly number[] = [
  0x0660, // Arabic-Indic
  0x06f0, // Extended Arabic-Indic (Persian, Urdu)
  0x07c0, // NKo
  0x0966, // Devanagari
  0x09e6, // Bengali
  0x0a66, // Gurmukhi
  0x0ae6, // Gujarati
  0x0b66, // Oriya
  0x0be6, // Tamil
  0x0c66, // Telugu
  0x0ce6, // Kannada
  0x0d66, // Malayalam
  0x0de6, // Sinhala Lith
  0x0e50, // Thai
  0x0ed0, // Lao
  0x0f20, // Tibetan
  0x1040, // Myanmar
  0x17e0, // Khmer
  0x1810, // Mongolian
  0xff10, // full-width
];

const PUNCTUATION: ReadonlyMap<string, string> = new Map([
  ['\uff0c', ','], // full-width comma
  ['\uff0e', '.'], // full-width full stop
  ['\uff0d', '-'], // full-width hyphen-minus
  ['\u2212', '-'], // minus sign
  ['\u066b', '.'], // Arabic decimal separator
  ['\u066c', ','], // Arabic thousands separator
  // Space-like thousands separators all become one marker the parser knows.
  ['\u00a0', ' '],
  ['\u2007', ' '],
  ['\u2009', ' '],
  ['\u202f', ' '],
  // Swiss thousands apostrophes ("1’000") read as the ASCII one.
  ['\u2019', "'"],
  ['\u02bc', "'"],
]);

/**
 * Space separators are mapped to U+00A0 (not to an ordinary space) so that
 * "1 234" with a real space stays two numbers in languages that do not group
 * with ordinary spaces.
 */
const GROUP_SPACE = '\u00a0';

function toAscii(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
    if (zero !== undefined) {
      out += String.fromCharCode(0x30 + code - zero);
      continue;
    }
    const p = PUNCTUATION.get(ch);
    out += p === undefined ? ch : p === ' ' ? GROUP_SPACE : p;
  }
  return out;
}

/** Chinese/Japanese multipliers: powers of ten. */
const CJK_UNITS: ReadonlyMap<string, number> = new Map([
  ['千', 3],
  ['万', 4],
  ['萬', 4],
  ['亿', 8],
  ['億', 8],
  ['兆', 12],
]);
const CJK_UNIT = '(?:[万萬亿億兆]|千(?![克米瓦卡]))';

interface Patterns {
  /** Every number in a text (global). */
  any: RegExp;
  /** A text that is one number and nothing else. */
  whole: RegExp;
}

const PATTERNS = new Map<NumberStyle, Patterns>();

/** Number patterns of a style, built once per style. */
function patterns(style: NumberStyle): Patterns {
  let p = PATTERNS.get(style);
  if (p) return p;
  // A separator must be followed by a digit, so a sentence's final "." or "," is never part of a number.
  const spaced = style.spaceGroups ? String.raw`| \d{3}(?!\d)` : '';
  const digits = String.raw`\d+(?:[.,\u00a0]\d+|'\d{3}(?!\d)${spaced})*`;
  const number = style.cjkUnits ? `${digits}(?:${CJK_UNIT}${digits})*${CJK_UNIT}?` : digits;
  p = { any: new RegExp(`-?${number}`, 'g'), whole: new RegExp(`^-?${number}$`) };
  PATTERNS.set(style, p);
  return p;
}

// What may directly precede a "-" that is then a hyphen, not a sign.
const NOT_SIGN_BEFORE = /[\p{N}\p{Lu}\p{Ll}\p{Lt})\]]/u;

/** Strip leading zeros of the integer part and trailing zeros of the fraction. */
function canonical(negative: boolean, intPart: string, frac: string): string {
  const i = intPart.replace(/^0+(?=\d)/, '') || '0';
  const f = frac.replace(/0+$/, '');
  const body = f ? `${i}.${f}` : i;
  return negative && body !== '0' ? `-${body}` : body;
}

function validGrouping(groups: string[], seps: string[]): boolean {
  if (seps.length === 0) return true;
  if (seps.some((s) => s !== seps[0])) return false;
  const [first, ...rest] = groups;
  if (first.length <= 3 && rest.every((g) => g.length === 3)) return true;
  // Indian grouping: 12,34,567 (lakh) and 1,23,45,678 (crore).
  const last = rest[rest.length - 1];
  const middle = rest.slice(0, -1);
  return (
    seps[0] === ',' && rest.length >= 2 && first.length <= 2 && last.length === 3 && middle.every((g) => g.length === 2)
  );
}

/** Is the last separator of a digit run the decimal mark? */
function isDecimal(seps: string[], groups: string[], style: NumberStyle): boolean {
  const last = seps[seps.length - 1];
  const others = seps.slice(0, -1);
  if (last === GROUP_SPACE) return false;
  if (others.some((s) => s !== GROUP_SPACE && s !== last)) return true;
  if (others.includes(last)) return false;
  if (others.includes(GROUP_SPACE)) return true;
  if (style.decimal === last) return true;
  const lead = groups[0];
  return !(groups[groups.length - 1].length === 3 && lead !== '0' && lead.length <= 3);
}

/** Unsigned canonical value of a digit run (no CJK units), or null when its separators are not a number's. */
function interpretDigits(run: string, style: NumberStyle): string | null {
  const parts = run.split(/([.,\u00a0])/);
  const groups = parts.filter((_, i) => i % 2 === 0);
  const seps = parts.filter((_, i) => i % 2 === 1);
  if (seps.length === 0) return canonical(false, groups[0], '');
  const decimal = isDecimal(seps, groups, style);
  const intGroups = decimal ? groups.slice(0, -1) : groups;
  const intSeps = decimal ? seps.slice(0, -1) : seps;
  if (!validGrouping(intGroups, intSeps)) return null;
  return canonical(false, intGroups.join(''), decimal ? groups[groups.length - 1] : '');
}

/** Exact sum of unsigned canonical decimals, each times 10^exp ("1.2" at 4 and "5" at 0 -> "12005"). */
function scaledSum(terms: { value: string; exp: number }[]): string {
  const parts = terms.map(({ value, exp }) => {
    const [i, f = ''] = value.split('.');
    return { digits: BigInt(i + f), scale: f.length - exp };
  });
  const scale = Math.max(0, ...parts.map((p) => p.scale));
  let sum = 0n;
  for (const p of parts) sum += p.digits * 10n ** BigInt(scale - p.scale);
  const s = sum.toString().padStart(scale + 1, '0');
  return canonical(false, s.slice(0, s.length - scale), s.slice(s.length - scale));
}

/** Unsigned value of a token that may hold CJK multipliers ("1万2千"), or null. */
function interpretUnsigned(token: string, style: NumberStyle): string | null {
  if (!style.cjkUnits || ![...CJK_UNITS.keys()].some((u) => token.includes(u))) return interpretDigits(token, style);
  const terms: { value: string; exp: number }[] = [];
  for (const m of token.matchAll(/([^千万萬亿億兆]+)([千万萬亿億兆]?)/g)) {
    const value = interpretDigits(m[1], style);
    if (value === null) return null;
    terms.push({ value, exp: m[2] ? CJK_UNITS.get(m[2])! : 0 });
  }
  return scaledSum(terms);
}

/** Canonical value of one matched token, or null when its separators are not a number's. */
function interpret(token: string, style: NumberStyle): string | null {
  const negative = token.startsWith('-');
  // Apostrophes and ordinary spaces only matched before a thousands group, so they are one.
  const value = interpretUnsigned((negative ? token.slice(1) : token).replace(/[' ]/g, GROUP_SPACE), style);
  if (value === null) return null;
  return negative && value !== '0' ? `-${value}` : value;
}

/**
 * The last number in `text`, canonical ("1,234.50" -> "1234.5"), or null when there
 * is none. `lang` is the language the text is written in (a dataset language code):
 * it decides what "70.000" or "70 000" mean. Without it, English conventions apply.
 */
export function extractLastNumber(text: string, lang?: string): string | null {
  const style = numberStyle(lang);
  const ascii = toAscii(text);
  let lastMatch: RegExpExecArray | null = null;
  for (const m of ascii.matchAll(patterns(style).any)) lastMatch = m;
  if (!lastMatch) return null;
  let token = lastMatch[0];
  const start = lastMatch.index ?? 0;
  if (token.startsWith('-') && start > 0 && NOT_SIGN_BEFORE.test(ascii[start - 1])) token = token.slice(1);
  const value = interpret(token, style);
  if (value !== null) return value;
  const groups = token.split(/[.,\u00a0' 千万萬亿億兆]/).filter(Boolean);
  return canonical(false, groups[groups.length - 1], '');
}

/**
 * Canonical value when the whole of `text` (trimmed) is one number, else null.
 * Importers use it for gold answers, where trailing words mean a bad row
 * rather than a generation to search. `lang` as for extractLastNumber.
 */
export function normaliseNumber(text: string, lang?: string): string | null {
  const style = numberStyle(lang);
  const ascii = toAscii(text.trim()).replace(/^\+/, '');
  if (!patterns(style).whole.test(ascii)) return null;
  return interpret(ascii, style);
}

/** Numeric value of a canonical answer or a gold label; both are written in English conventions. */
function numericValue(s: string): number | null {
  const canon = normaliseNumber(s) ?? extractLastNumber(s);
  if (canon === null) return null;
  const v = Number(canon);
  return Number.isFinite(v) ? v : null;
}

/**
 * True when `predicted` (an extracted answer, or a whole generation) equals
 * `gold` numerically. Tolerance is 1e-6 absolute, scaled by |gold| above 1 so
 * that large answers are not held to more digits than a double carries. A
 * generation is read in English conventions: extract it with its language first.
 */
export function answersMatch(predicted: string | null, gold: string): boolean {
  if (predicted === null) return false;
  const p = numericValue(predicted);
  const g = numericValue(gold);
  if (p === null || g === null) return false;
  return Math.abs(p - g) <= 1e-6 * Math.max(1, Math.abs(g));
}
