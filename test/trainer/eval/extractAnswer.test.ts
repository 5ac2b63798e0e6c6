import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answersMatch, extractLastNumber, normaliseNumber } from '../../../trainer/eval/extractAnswer';

// [generation, expected canonical answer, why the case is tricky]
const CASES: [string, string | null, string][] = [
  ['The answer is ৪২.', '42', 'Bengali digits, sentence-final period'],
  ['উত্তর হল ১,২৩৪.৫০', '1234.5', 'Bengali digits with thousands and decimal'],
  ['答えは１２３です', '123', 'full-width digits'],
  ['合計は１，２３４．５円', '1234.5', 'full-width comma and period'],
  ['ผลลัพธ์คือ ๑,๒๓๔', '1234', 'Thai digits with thousands comma'],
  ['उत्तर है १२३', '123', 'Devanagari'],
  ['సమాధానం ౪౫', '45', 'Telugu'],
  ['الجواب هو ٣٤٥', '345', 'Arabic-Indic'],
  ['الجواب ٣٫٥', '3.5', 'Arabic decimal separator'],
  ['جواب ۱۲۳ است', '123', 'Extended Arabic-Indic (Persian/Urdu)'],
  ['Jibu ni 7.5', '7.5', 'plain decimal'],
  ['no number', null, 'nothing to extract'],
  ['', null, 'empty generation'],
  ['She had 3 apples, bought 5 more, so 8 in total.', '8', 'last number wins'],
  ['Step 1: 12 - 5 = 7. Answer: 7', '7', 'last number wins over earlier ones'],
  ['The temperature is -3 degrees', '-3', 'negative number'],
  ['x = −4', '-4', 'Unicode minus sign'],
  ['答案是-3', '-3', 'sign after an uncased script letter'],
  ['5-3', '3', 'hyphen after a digit is not a sign'],
  ['range 10-20', '20', 'range'],
  ['Total: $1,234.50', '1234.5', 'English thousands + decimal, trailing zero dropped'],
  ['Il a 1.234,5 euros', '1234.5', 'European: last mark is the decimal mark'],
  ['1.234.567 Einwohner', '1234567', 'repeated dot is a thousands separator'],
  ['1,234,567 people', '1234567', 'repeated comma is a thousands separator'],
  ['about 1,234', '1234', 'single comma + 3 digits: thousands'],
  ['about 1.234', '1.234', 'single dot: decimal'],
  ['Die Antwort ist 7,5', '7.5', 'single comma, not 3 digits: decimal comma'],
  ['0,500 kg', '0.5', 'single comma after a lone 0: decimal'],
  ['La réponse est 1\u202f234,5', '1234.5', 'narrow no-break space thousands, decimal comma'],
  ['1\u2009234', '1234', 'thin space thousands'],
  ['1\u00a0234\u00a0567', '1234567', 'no-break space thousands'],
  ['I have 3 456', '456', 'ordinary space separates numbers'],
  ['₹12,34,567', '1234567', 'Indian lakh grouping'],
  ['versions 1.2.3', '3', 'malformed grouping reads as a list'],
  ['1,2,3', '3', 'comma list'],
  ['7.', '7', 'trailing period'],
  ['0.50', '0.5', 'trailing zeros'],
  ['007', '7', 'leading zeros'],
  ['-0', '0', 'negative zero'],
  ['**18**', '18', 'markdown bold'],
  ['\\boxed{42}', '42', 'LaTeX box'],
];

test('extractLastNumber: table of tricky generations', () => {
  for (const [text, expected, why] of CASES) {
    assert.equal(extractLastNumber(text), expected, `${JSON.stringify(text)}: ${why}`);
  }
});

test('normaliseNumber: whole field must be one number', () => {
  assert.equal(normaliseNumber(' 1,000 '), '1000');
  assert.equal(normaliseNumber('+5'), '5');
  assert.equal(normaliseNumber('১৮'), '18');
  assert.equal(normaliseNumber('12 apples'), null);
  assert.equal(normaliseNumber(''), null);
  assert.equal(normaliseNumber('1.2.3'), null);
});

test('answersMatch: numeric comparison with 1e-6 tolerance', () => {
  assert.equal(answersMatch('42', '42'), true);
  assert.equal(answersMatch('7.0', '7'), true);
  assert.equal(answersMatch('1234.5', '1,234.50'), true);
  assert.equal(answersMatch('3.0000001', '3'), true);
  assert.equal(answersMatch('3.00001', '3'), false);
  assert.equal(answersMatch('-3', '3'), false);
  assert.equal(answersMatch(null, '3'), false);
  assert.equal(answersMatch('The answer is ৪২.', '42'), true, 'a whole generation is searched for its last number');
  assert.equal(answersMatch('no number', '42'), false);
  // Large answers: relative tolerance above 1.
  assert.equal(answersMatch('123456789012', '123456789012'), true);
});
