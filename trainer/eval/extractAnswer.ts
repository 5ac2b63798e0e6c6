// Pulls the final numeric answer out of a model generation, in any script the
// trainer's languages use, and turns it into one canonical spelling so that
// "১,২৩৪.৫০", "1 234,5" and "1234.5" all score as the same answer.
//
// Rules (the tests in test/trainer/eval/extractAnswer.test.ts pin each of them):
// - Native digits (Arabic-Indic, Extended Arabic-Indic, Devanagari, Bengali,
//   Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Thai, Lao,
//   Tibetan, Myanmar, Khmer, Mongolian, NKo, full-width) become ASCII; full-width
//   "，" "．" "－", the Arabic decimal/thousands marks "٫" "٬" and "−" become ASCII.
// - The LAST number in the text wins: models restate the question's numbers
//   first and give the answer at the end.
// - Inside a number, "," "." and no-break/thin/figure spaces are separators;
//   an ordinary space ends the number (so "3 456" is two numbers) and so does a
//   separator not followed by a digit (so a sentence-final "7." is 7).
// - Which separator is the decimal mark:
//   * both "," and "." present: the last one is the decimal mark ("1,234.50",
//     "1.234,5" are both 1234.5);
//   * one mark repeated ("1,234,567", "1.234.567"): thousands separators;
//   * a single ".": decimal ("1.234" is 1.234 — English convention);
//   * a single ",": thousands when exactly three digits follow and there are
//     no space separators ("1,234" is 1234), otherwise decimal ("7,5",
//     "0,500", "1 234,5" are 7.5, 0.5, 1234.5 — European convention);
//   * spaces are always thousands separators.
//   Thousands groups must be well formed: 1-3 leading digits then groups of
//   three, or the Indian lakh/crore grouping with commas ("12,34,567").
//   A token that breaks these rules ("1.2.3", "1,2,3") is read as a list and
//   its last group wins, consistent with "last number wins".
// - "-" is a sign unless it directly follows a digit, a cased (Latin,
//   Cyrillic, Greek ...) letter or a closing bracket: "5-3" and "x-3" end in
//   3, while "= -3" and "答案是-3" are -3 (uncased scripts write no space
//   before the sign).
// - Not handled on purpose: fractions ("3/4" gives 4), exponents, number
//   words, CJK numerals, a leading ".5".

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
]);

/**
 * Space separators are mapped to U+00A0 (not to an ordinary space) so that
 * "1 234" with a real space stays two numbers.
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

// Digits with internal separators; a separator must be followed by a digit.
const NUMBER = /-?\d+(?:[.,\u00a0]\d+)*/g;
const WHOLE_NUMBER = /^-?\d+(?:[.,\u00a0]\d+)*$/;
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
  return seps[0] === ',' && rest.length >= 2 && first.length <= 2 && last.length === 3 && middle.every((g) => g.length === 2);
}

/** Canonical value of one matched token, or null when its separators are not a number's. */
function interpret(token: string): string | null {
  const negative = token.startsWith('-');
  const parts = (negative ? token.slice(1) : token).split(/([.,\u00a0])/);
  const groups = parts.filter((_, i) => i % 2 === 0);
  const seps = parts.filter((_, i) => i % 2 === 1);
  if (seps.length === 0) return canonical(negative, groups[0], '');
  const last = seps[seps.length - 1];
  const others = seps.slice(0, -1);
  let decimal: boolean;
  if (last === GROUP_SPACE) decimal = false;
  else if (others.some((s) => s !== GROUP_SPACE && s !== last)) decimal = true;
  else if (others.includes(last)) decimal = false;
  else if (last === '.') decimal = true;
  else decimal = !(groups[groups.length - 1].length === 3 && groups[0] !== '0' && !others.includes(GROUP_SPACE));
  const intGroups = decimal ? groups.slice(0, -1) : groups;
  const intSeps = decimal ? others : seps;
  if (!validGrouping(intGroups, intSeps)) return null;
  return canonical(negative, intGroups.join(''), decimal ? groups[groups.length - 1] : '');
}

/** The last number in `text`, canonical ("1,234.50" -> "1234.5"), or null when there is none. */
export function extractLastNumber(text: string): string | null {
  const ascii = toAscii(text);
  let lastMatch: RegExpExecArray | null = null;
  for (const m of ascii.matchAll(NUMBER)) lastMatch = m;
  if (!lastMatch) return null;
  let token = lastMatch[0];
  const start = lastMatch.index ?? 0;
  if (token.startsWith('-') && start > 0 && NOT_SIGN_BEFORE.test(ascii[start - 1])) token = token.slice(1);
  const value = interpret(token);
  if (value !== null) return value;
  const groups = token.split(/[.,\u00a0]/);
  return canonical(false, groups[groups.length - 1], '');
}

/**
 * Canonical value when the whole of `text` (trimmed) is one number, else null.
 * Importers use it for gold answers, where trailing words mean a bad row
 * rather than a generation to search.
 */
export function normaliseNumber(text: string): string | null {
  const ascii = toAscii(text.trim()).replace(/^\+/, '');
  if (!WHOLE_NUMBER.test(ascii)) return null;
  return interpret(ascii);
}

function numericValue(s: string): number | null {
  const canon = normaliseNumber(s) ?? extractLastNumber(s);
  if (canon === null) return null;
  const v = Number(canon);
  return Number.isFinite(v) ? v : null;
}

/**
 * True when `predicted` (an extracted answer, or a whole generation) equals
 * `gold` numerically. Tolerance is 1e-6 absolute, scaled by |gold| above 1 so
 * that large answers are not held to more digits than a double carries.
 */
export function answersMatch(predicted: string | null, gold: string): boolean {
  if (predicted === null) return false;
  const p = numericValue(predicted);
  const g = numericValue(gold);
  if (p === null || g === null) return false;
  return Math.abs(p - g) <= 1e-6 * Math.max(1, Math.abs(g));
}
