// Which language a benchmark file holds, read from its path.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileLanguages, languageInFileName, languageOfWord } from '../../../../trainer/data/import/languages';
import { inputError } from './importHelpers';

const xcopa = { prefixes: ['xcopa', 'copa'], extensions: ['.jsonl', '.json'] };
const xnli = { prefixes: ['xnli', 'multinli'], extensions: ['.tsv', '.jsonl'] };

test('file names as benchmarks publish them', () => {
  const cases: [string, { prefixes: string[]; extensions: string[] }, string | undefined][] = [
    ['data/et/test.et.jsonl', xcopa, 'et'],
    ['data-gmt/zh/val.zh.jsonl', xcopa, 'zh'],
    ['data/qu/test.qu.json', xcopa, 'qu'],
    ['xcopa_sw.jsonl', xcopa, 'sw'],
    ['th.jsonl', xcopa, 'th'],
    ['COPA/val.jsonl', xcopa, undefined],
    ['multinli.train.de.tsv', xnli, 'de'],
    ['xnli.test.tsv', xnli, undefined],
    ['test_Thai.json', { prefixes: ['msvamp'], extensions: ['.json'] }, 'th'],
    ['mgsm_Bengali.json', { prefixes: ['mgsm'], extensions: ['.json'] }, 'bn'],
    ['mgsm_yor.tsv', { prefixes: ['mgsm'], extensions: ['.tsv'] }, 'yor'],
  ];
  for (const [file, naming, lang] of cases) assert.equal(languageInFileName(file, naming), lang, file);
});

test('names that are not a language fail loudly', () => {
  inputError(() => languageInFileName('xcopa_xx.jsonl', xcopa), /"xx" is not one/);
  inputError(() => languageInFileName('test.et.sw.jsonl', xcopa), /got "test\.et\.sw"/);
  inputError(() => languageInFileName('notes.jsonl', xcopa), /got "notes"/);
  inputError(() => languageInFileName('et.csv', xcopa), /xcopa_<lang>\.jsonl/);
});

test('languageOfWord: codes and English names, any case; nothing from Object.prototype', () => {
  assert.equal(languageOfWord('SW'), 'sw');
  assert.equal(languageOfWord('Swahili'), 'sw');
  assert.equal(languageOfWord('constructor'), undefined);
  assert.equal(languageOfWord('__proto__'), undefined);
  assert.equal(languageOfWord('data'), undefined);
});

test('FileLanguages: file name, then --language, then the parent folder', () => {
  const plain = new FileLanguages();
  assert.equal(plain.of('/x/sw/test.jsonl', xcopa), 'sw');
  assert.equal(plain.of('/x/sw/test.et.jsonl', xcopa), 'et');
  inputError(() => plain.of('/x/COPA/val.jsonl', xcopa), /--language/);
  const flagged = new FileLanguages('en');
  assert.equal(flagged.of('/x/sw/test.jsonl', xcopa), 'en');
  assert.equal(flagged.of('/x/et/test.et.jsonl', xcopa), 'et');
  flagged.checkUsed(['a', 'b']);
  const unused = new FileLanguages('en');
  unused.of('/x/et/test.et.jsonl', xcopa);
  inputError(() => unused.checkUsed(['/x/et/test.et.jsonl']), /--language en/, /test\.et\.jsonl/);
  inputError(() => new FileLanguages('English'), /--language/);
});
