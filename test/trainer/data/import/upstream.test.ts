// Benchmark files exactly as their upstream repositories publish them: the language is
// in a folder or a split-qualified name (XCOPA `data/et/test.et.jsonl`), spelled out in
// English (MathOctopus `test_Thai.json`), or a field of each record (XNLI-1.0 JSONL).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importBenchmark } from '../../../../trainer/data/import';
import { fixture, inputError, writeFiles } from './importHelpers';

const copaRow = (label: number) =>
  `{"premise": "p", "choice1": "a", "choice2": "b", "question": "effect", "label": ${label}}\n`;

test('xcopa: the upstream layout data/<lang>/test.<lang>.jsonl', () => {
  const items = importBenchmark('xcopa', [
    fixture('xcopa', 'data', 'et', 'test.et.jsonl'),
    fixture('xcopa', 'data', 'ht', 'test.ht.jsonl'),
  ]);
  assert.deepEqual(Object.keys(items[0].langs), ['et', 'ht']);
  assert.deepEqual(
    items.map((i) => i.answer),
    ['0', '0', '1'],
  );
  assert.deepEqual(items[2].langs.ht.choices, ['Li al dòmi.', 'Li fè yon sandwich pou tèt li.']);
  const val = importBenchmark('xcopa', [fixture('xcopa', 'data', 'et', 'val.et.jsonl')]);
  assert.deepEqual(Object.keys(val[0].langs), ['et']);
  // Two splits of one language are not two languages.
  inputError(
    () =>
      importBenchmark('xcopa', [
        fixture('xcopa', 'data', 'et', 'test.et.jsonl'),
        fixture('xcopa', 'data', 'et', 'val.et.jsonl'),
      ]),
    /one file per language, but "et" also comes from .*test\.et\.jsonl/,
  );
});

test('the language can come from the parent folder when the file name has none', () => {
  const files = writeFiles({ 'sw/test.jsonl': copaRow(0), 'qu/test.json': copaRow(0) });
  const items = importBenchmark('xcopa', files);
  assert.deepEqual(Object.keys(items[0].langs), ['sw', 'qu']);
});

test('--language names the language of files whose path names none (COPA English beside XCOPA)', () => {
  const files = [fixture('xcopa', 'COPA', 'test.jsonl'), fixture('xcopa', 'data', 'et', 'test.et.jsonl')];
  const items = importBenchmark('xcopa', files, { language: 'en' });
  assert.deepEqual(Object.keys(items[0].langs), ['en', 'et']);
  assert.match(items[0].langs.en.prompt, /dropped the glass/);
  // Without it, the English file has no language anywhere in its path.
  inputError(() => importBenchmark('xcopa', files), /COPA[/\\]test\.jsonl/, /--language/);
  // A flag no file needed would be silently ignored: refuse it instead.
  inputError(
    () => importBenchmark('xcopa', [fixture('xcopa', 'data', 'et', 'test.et.jsonl')], { language: 'sw' }),
    /--language sw/,
    /test\.et\.jsonl/,
  );
  inputError(() => importBenchmark('xcopa', [files[0]], { language: '__proto__' }), /--language/, /language code/);
});

test('msvamp: MathOctopus files test_<Language>.json (JSON Lines, language named in English)', () => {
  const dir = ['mathoctopus', 'msvamp'];
  const items = importBenchmark('msvamp', [fixture(...dir, 'test_English.json'), fixture(...dir, 'test_Thai.json')]);
  assert.deepEqual(Object.keys(items[0].langs), ['en', 'th']);
  assert.deepEqual(
    items.map((i) => i.answer),
    ['3', '24'],
  );
  assert.match(items[1].langs.th.prompt, /^กล่อง/);
  assert.equal(items[0].langs.en.prompt, 'Tom had 5 apples. He ate 2 of them. How many apples are left?');
});

test('mgsm: the TSVs and MathOctopus mgsm_<Language>.json (query, response)', () => {
  const dir = ['mathoctopus', 'mgsm'];
  const items = importBenchmark('mgsm', [fixture(...dir, 'mgsm_English.json'), fixture(...dir, 'mgsm_Swahili.json')]);
  assert.deepEqual(Object.keys(items[0].langs), ['en', 'sw']);
  assert.deepEqual(
    items.map((i) => i.answer),
    ['7', '1250'],
  );
  assert.match(items[0].langs.sw.prompt, /^Janet ana tufaha/);
});

test('xnli: XNLI-1.0 JSON Lines with every language in one file', () => {
  const items = importBenchmark('xnli', [fixture('xnli', 'XNLI-1.0', 'xnli.test.jsonl')]);
  assert.deepEqual(Object.keys(items[0].langs), ['en', 'ar', 'hi']);
  assert.deepEqual(
    items.map((i) => i.answer),
    ['0', '2', '1'],
  );
  const some = importBenchmark('xnli', [fixture('xnli', 'XNLI-1.0', 'xnli.test.jsonl')], { languages: ['hi', 'en'] });
  assert.deepEqual(Object.keys(some[0].langs), ['hi', 'en']);
  const [bad] = writeFiles({
    'xnli.dev.jsonl':
      '{"language": "en", "sentence1": "p", "sentence2": "h", "gold_label": "neutral"}\n{"language": "xx", "sentence1": "p", "sentence2": "h", "gold_label": "neutral"}\n',
  });
  inputError(() => importBenchmark('xnli', [bad]), /xnli\.dev\.jsonl:2 \(field "language"\)/);
});

test('xnli: XNLI-MT multinli.train.<lang>.tsv (premise, hypo, label "contradictory")', () => {
  const dir = ['xnli', 'XNLI-MT-1.0', 'multinli'];
  const items = importBenchmark('xnli', [
    fixture(...dir, 'multinli.train.en.tsv'),
    fixture(...dir, 'multinli.train.de.tsv'),
  ]);
  assert.deepEqual(Object.keys(items[0].langs), ['en', 'de']);
  assert.deepEqual(
    items.map((i) => i.answer),
    ['0', '2', '1'],
  );
  assert.match(items[1].langs.de.prompt, /Hypothesis: Die Frau schläft/);
});
