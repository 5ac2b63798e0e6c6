// The numbers a text states, compared across languages. Not answer extraction (that is
// trainer/eval/extractAnswer.ts, which reads each language's decimal mark): here a number
// is reduced to its digits, so "70,000", "70.000", "70 000" and "7万" all become "70000" and
// "3.5" and "3,5" both "35". Two spellings of one number always agree; a translation that
// changed a digit does not. Good enough to point at a suspicious cell, never to score one.

/** Code points of digit zero in scripts whose ten digits are consecutive (as extractAnswer knows them). */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50,
  0x0ed0, 0x0f20, 0x1040, 0x17e0, 0x1810, 0xff10,
];

const NATIVE_DIGIT = new RegExp(
  `[${DIGIT_ZEROS.map((z) => `\\u${z.toString(16).padStart(4, '0')}-\\u${(z + 9).toString(16).padStart(4, '0')}`).join('')}]`,
  'g',
);

/** Native and full-width digits as ASCII. */
export function asciiDigits(text: string): string {
  return text.replace(NATIVE_DIGIT, (ch) => {
    const c = ch.charCodeAt(0);
    return String(c - DIGIT_ZEROS.find((z) => c >= z && c <= z + 9)!);
  });
}

// A digit run, then groups joined by one separator: "," "." "'" "’" "٫" "٬", the
// no-break/thin/narrow spaces, or an ordinary space before exactly three digits ("70 000").
// A CJK multiplier after the digits scales them (千克, a kilogram, is not a multiplier).
const NUMBER =
  /\d+(?:(?:[.,'\u2019\u066b\u066c\u00a0\u2009\u202f]|\uff0c|\uff0e)\d+|(?<=(?:^|\D)\d{1,3}) (?=\d{3}(?!\d))\d{3})*(?:千(?![克米瓦卡])|[万萬亿億兆])?/g;
const SCALE: Readonly<Record<string, number>> = { 千: 3, 万: 4, 萬: 4, 亿: 8, 億: 8, 兆: 12 };

/** The numbers in `text`, in order, each as its digits without leading zeros. */
export function numbersIn(text: string): string[] {
  return [...asciiDigits(text).matchAll(NUMBER)].map(([m]) => digitsOf(m));
}

function digitsOf(token: string): string {
  const last = token[token.length - 1];
  const scale = SCALE[last];
  let digits = (scale ? token.slice(0, -1) : token).replace(/\D/g, '');
  // "7万" is 70000; a decimal "1.5万" would need its decimal mark, so only whole numbers scale.
  if (scale && /^\d+$/.test(token.slice(0, -1))) digits += '0'.repeat(scale);
  return digits.replace(/^0+(?=\d)/, '');
}

/** The answer as digits, when it is a number ("-3", "1,000", "3.5"); undefined for text answers. */
export function answerDigits(answer: string): string | undefined {
  const a = asciiDigits(answer.trim());
  return /^[-+−]?\d[\d.,' ]*$/.test(a) && /\d$/.test(a) ? digitsOf(a.replace(/^[-+−]/, '')) : undefined;
}

/** Whether two lists hold the same numbers, in any order. */
export function sameNumbers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}
