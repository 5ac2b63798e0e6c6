// Numbers as native speakers of each supported language write them in an answer: the
// extraction gets the item's language and reads "70.000" as 70000 in German and Spanish,
// "70 000" and "114 200" as one number in French and Russian, "7万" as 70000 in Chinese,
// and never takes a sentence's final period for a decimal point.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGE_SPECS } from '../../../trainer/data/generate/languages';
import { extractLastNumber, normaliseNumber } from '../../../trainer/eval/extractAnswer';
import { NEUTRAL_STYLE, numberStyle } from '../../../trainer/eval/numberStyles';

const NNBSP = '\u202f'; // narrow no-break space (French typography, CLDR fr)
const NBSP = '\u00a0';

// language -> [generation as a native speaker writes it, canonical answer]
const NATIVE: Record<string, [string, string][]> = {
  en: [
    ['The answer is 70,000.', '70000'],
    ['She pays $1,234.50 in total.', '1234.5'],
    ['The answer is 3.5.', '3.5'],
    ['So the answer is 12.', '12'],
    ['I have 3 456', '456'], // English does not group with ordinary spaces
    ['He is 5\'10" tall', '10'], // an apostrophe groups only three digits
  ],
  es: [
    ['La respuesta es 1.000.', '1000'],
    ['La respuesta es 70.000.', '70000'],
    ['La respuesta es 2,5.', '2.5'],
    ['La respuesta es 1.234.567,89 euros.', '1234567.89'],
    ['La respuesta es 70 000.', '70000'], // RAE: spaces group thousands
    ['La respuesta es 1,000.', '1000'], // Mexico: comma groups thousands
    ['Son 3.5 litros.', '3.5'], // Mexico: point is the decimal mark
    ['En total, 1,234.5 pesos.', '1234.5'],
  ],
  fr: [
    ['La réponse est 70 000.', '70000'],
    [`La réponse est 70${NNBSP}000.`, '70000'],
    [`Il paie 70${NBSP}000 €.`, '70000'],
    ['La réponse est 3,5.', '3.5'],
    [`Total : 1${NNBSP}234${NNBSP}567,89 €`, '1234567.89'],
    ['Il a 12 pommes et 3 poires.', '3'],
    ['Étape 1 : 250 + 750 = 1 000.', '1000'],
  ],
  de: [
    ['Die Antwort lautet 70.000.', '70000'],
    ['Die Antwort lautet 7,5.', '7.5'],
    ['Sie zahlt 1.234,56 €.', '1234.56'],
    ['Die Antwort lautet 70 000.', '70000'], // DIN 5008: spaces group long numbers
    ["Die Antwort ist 70'000.", '70000'], // Swiss apostrophe
    ['Die Antwort ist 1’234.50 Franken.', '1234.5'],
    ['Die Antwort ist 1,000.', '1'], // a German decimal comma
    ['Er hat 5 Äpfel und 100 Birnen.', '100'],
  ],
  ru: [
    ['Ответ: 114 200.', '114200'],
    [`Ответ: 114${NBSP}200.`, '114200'],
    ['Ответ: 3,5.', '3.5'],
    ['Ответ: 1 000 000 рублей.', '1000000'],
    ['Ответ: -5.', '-5'],
    ['В 2023 году было 150 учеников.', '150'],
  ],
  zh: [
    ['答案是70000。', '70000'],
    ['答案是7万。', '70000'],
    ['答案是1.2万元。', '12000'],
    ['共计1,234.5元。', '1234.5'],
    ['答案：１，０００', '1000'],
    ['答案是1亿2000万。', '120000000'],
    ['他一共跑了3.5千米。', '3.5'], // 千米 is a kilometre, not a thousand metres
  ],
  ja: [
    ['答えは70,000円です。', '70000'],
    ['答えは7万円です。', '70000'],
    ['答えは1万2千円です。', '12000'],
    ['答えは１２，３４５です。', '12345'],
    ['答えは3.5です。', '3.5'],
    ['人口は1億2345万6789人です。', '123456789'],
  ],
  th: [
    ['คำตอบคือ 70,000 บาท', '70000'],
    ['คำตอบคือ ๗๐,๐๐๐', '70000'],
    ['คำตอบคือ 3.5', '3.5'],
  ],
  bn: [
    ['উত্তর হল ৭০,০০০।', '70000'],
    ['উত্তর হল ১২,৩৪,৫৬৭।', '1234567'], // Indian lakh grouping
    ['উত্তর হল 1,00,000।', '100000'],
    ['উত্তর হল ৩.৫।', '3.5'],
  ],
  te: [
    ['సమాధానం 70,000.', '70000'],
    ['సమాధానం ౧,౦౦,౦౦౦.', '100000'],
    ['సమాధానం 2.5.', '2.5'],
  ],
  sw: [
    ['Jibu ni 70,000.', '70000'],
    ['Jibu ni shilingi 1,500.', '1500'],
    ['Jibu ni 3.5.', '3.5'],
  ],
  yo: [
    ['Ìdáhùn náà jẹ́ 70,000.', '70000'],
    ['Ìdáhùn jẹ́ ₦1,500.', '1500'],
    ['Ìdáhùn jẹ́ 2.5.', '2.5'],
  ],
};

test('every language the generator writes has native number cases', () => {
  for (const spec of LANGUAGE_SPECS) assert.ok(NATIVE[spec.code]?.length, `no cases for ${spec.code}`);
});

test('numbers read the way each language writes them', () => {
  for (const [lang, cases] of Object.entries(NATIVE)) {
    for (const [text, expected] of cases)
      assert.equal(extractLastNumber(text, lang), expected, `${lang}: ${JSON.stringify(text)}`);
  }
});

test('the cases of issue 13, and what they read as without a language', () => {
  assert.equal(extractLastNumber('Die Antwort lautet 70.000.', 'de'), '70000');
  assert.equal(extractLastNumber('La respuesta es 1.000.', 'es'), '1000');
  assert.equal(extractLastNumber('Ответ: 114 200.', 'ru'), '114200');
  assert.equal(extractLastNumber('La réponse est 70 000.', 'fr'), '70000');
  // English conventions without a language: a lone "." is a decimal point, a space ends a number.
  assert.equal(extractLastNumber('70.000.'), '70');
  assert.equal(extractLastNumber('114 200.'), '200');
});

test('a regional code uses its own style, else its base language, else English', () => {
  assert.equal(
    extractLastNumber('Es sind 1.000 Franken.', 'de-CH'),
    '1',
    'Swiss German: the point is the decimal mark',
  );
  assert.equal(extractLastNumber('Es sind 1.000 Euro.', 'de-AT'), '1000');
  assert.equal(extractLastNumber('答案是7万。', 'zh-Hant'), '70000');
  assert.equal(numberStyle('xx'), NEUTRAL_STYLE);
  assert.equal(numberStyle(undefined), NEUTRAL_STYLE);
  assert.equal(extractLastNumber('7万', 'en'), '7', 'multipliers are read only in Chinese and Japanese');
});

test('normaliseNumber reads a whole field in a language', () => {
  assert.equal(normaliseNumber('70.000', 'de'), '70000');
  assert.equal(normaliseNumber('70 000', 'fr'), '70000');
  assert.equal(normaliseNumber('7万', 'ja'), '70000');
  assert.equal(normaliseNumber('70 000', 'en'), null);
  assert.equal(normaliseNumber('70.000'), '70');
});
