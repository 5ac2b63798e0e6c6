import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { ParallelItem } from '../../../../protocol/dataset';
import { type BenchmarkFormat, importBenchmark, writeParallelJsonl } from '../../../../trainer/data/import';
import { inputError } from './importHelpers';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'benchmarks');
const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);

const made: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-import-'));
  made.push(dir);
  return dir;
}
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** Write `files` (name -> content) into a fresh temp dir and return their paths. */
function writeFiles(files: Record<string, string>): string[] {
  const dir = tmpDir();
  return Object.entries(files).map(([name, content]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  });
}

/** Import, write atomically, read the lines back and parse each with the protocol schema. */
function roundTrip(format: BenchmarkFormat, files: string[], languages?: string[]): ParallelItem[] {
  const items = importBenchmark(format, files, { languages });
  const out = path.join(tmpDir(), 'nested', `${format}.parallel.jsonl`);
  writeParallelJsonl(items, out);
  const lines = fs.readFileSync(out, 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'file ends with a newline');
  const back = lines.map((l) => ParallelItem.parse(JSON.parse(l)));
  assert.deepEqual(back, items);
  assert.deepEqual(fs.readdirSync(path.dirname(out)), [path.basename(out)], 'no temp file left behind');
  return back;
}

test('mgsm: round trip, numbers normalised, Bengali and Thai joined by line', () => {
  const items = roundTrip('mgsm', [
    fixture('mgsm', 'mgsm_en.tsv'),
    fixture('mgsm', 'mgsm_bn.tsv'),
    fixture('mgsm', 'th.tsv'),
  ]);
  assert.deepEqual(
    items.map((i) => [i.id, i.answer]),
    [
      ['mgsm-0001', '7'],
      ['mgsm-0002', '1250'],
      ['mgsm-0003', '5.5'],
    ],
  );
  assert.deepEqual(Object.keys(items[0].langs), ['en', 'bn', 'th']);
  assert.match(items[0].langs.bn.prompt, /^জ্যানেটের/);
  assert.equal(items[0].langs.en.response, undefined);
});

test('mgsm: languages option filters and orders', () => {
  const files = [fixture('mgsm', 'mgsm_en.tsv'), fixture('mgsm', 'mgsm_bn.tsv'), fixture('mgsm', 'th.tsv')];
  const items = roundTrip('mgsm', files, ['th', 'en']);
  assert.deepEqual(Object.keys(items[0].langs), ['th', 'en']);
  inputError(() => importBenchmark('mgsm', files, { languages: ['sw'] }), /requested language "sw"/);
});

test('msvamp: round trip from JSON arrays (numeric and string responses)', () => {
  const items = roundTrip('msvamp', [fixture('msvamp', 'en.json'), fixture('msvamp', 'msvamp_zh.json')]);
  assert.deepEqual(
    items.map((i) => i.answer),
    ['2', '20', '5'],
  );
  assert.match(items[1].langs.zh.prompt, /农民/);
});

test('xcopa: round trip with choices and cause/effect prompts', () => {
  const items = roundTrip('xcopa', [
    fixture('xcopa', 'xcopa_zh.jsonl'),
    fixture('xcopa', 'xcopa_sw.jsonl'),
    fixture('xcopa', 'th.jsonl'),
  ]);
  assert.equal(items.length, 3);
  assert.deepEqual(items[2].langs.sw.choices, ['Choo kilijaa maji.', 'Maji yalitoka kwenye bomba.']);
  assert.equal(items[2].answer, '1');
  assert.match(items[1].langs.th.prompt, /ร่างกาย[\s\S]*cause/);
});

test('xnli: round trip from the multi-language TSV and from per-language JSONL', () => {
  const tsv = roundTrip('xnli', [fixture('xnli', 'xnli.test.tsv')]);
  assert.deepEqual(Object.keys(tsv[0].langs), ['en', 'ar', 'hi']);
  assert.deepEqual(
    tsv.map((i) => i.answer),
    ['0', '2', '1'],
  );
  assert.deepEqual(tsv[0].langs.hi.choices, ['entailment', 'neutral', 'contradiction']);
  const jsonl = roundTrip('xnli', [fixture('xnli', 'xnli_en.jsonl'), fixture('xnli', 'xnli_ru.jsonl')]);
  assert.deepEqual(
    jsonl.map((i) => i.answer),
    ['0', '2', '1'],
  );
  assert.match(jsonl[0].langs.ru.prompt, /Мужчина/);
});

test('error: item counts differ across languages (names both files and counts)', () => {
  const files = writeFiles({ 'mgsm_en.tsv': 'a\t1\nb\t2\nc\t3\n', 'mgsm_sw.tsv': 'a\t1\nb\t2\n' });
  inputError(
    () => importBenchmark('mgsm', files),
    /mgsm_sw\.tsv \(language "sw"\) has 2 items/,
    /mgsm_en\.tsv \(language "en"\) has 3/,
  );
  const tsv = writeFiles({
    'xnli.tsv': 'language\tsentence1\tsentence2\tgold_label\nen\tp\th\tneutral\nen\tp\th\tneutral\nar\tp\th\tneutral\n',
  });
  inputError(() => importBenchmark('xnli', tsv), /language "ar"\) has 1 items/, /language "en"\) has 2/);
});

test('error: malformed rows name file, line and field', () => {
  const [mgsm] = writeFiles({ 'mgsm_en.tsv': 'q1\t1\nq2 without answer\nq3\t3\n' });
  const e = inputError(() => importBenchmark('mgsm', [mgsm]), /mgsm_en\.tsv:2 \(field "answer"\)/);
  assert.equal(e.location.line, 2);
  inputError(
    () => importBenchmark('mgsm', writeFiles({ 'mgsm_en.tsv': 'q1\t1\nq2\tmany\n' })),
    /:2 \(field "answer"\): a number/,
  );

  const [json] = writeFiles({
    'msvamp_en.json': '[\n  {"m_query": "q", "response": 1},\n  {"m_query": "", "response": 2}\n]\n',
  });
  inputError(() => importBenchmark('msvamp', [json]), /msvamp_en\.json:3 \(field "m_query"\)/);
  const [broken] = writeFiles({
    'en.json': '[\n  {"m_query": "q", "response": 1},\n  {"m_query": "q" "response": 2}\n]\n',
  });
  inputError(() => importBenchmark('msvamp', [broken]), /en\.json:3: valid JSON/);

  const row = '{"premise": "p", "choice1": "a", "choice2": "b", "question": "effect", "label": 0}';
  const [xcopa] = writeFiles({ 'xcopa_it.jsonl': `${row}\n${row.replace('"label": 0', '"label": 2')}\n` });
  inputError(() => importBenchmark('xcopa', [xcopa]), /xcopa_it\.jsonl:2 \(field "label"\): 0 or 1/);
  const [xcopaQ] = writeFiles({ 'it.jsonl': `${row}\n\n${row.replace('effect', 'reason')}\n` });
  inputError(() => importBenchmark('xcopa', [xcopaQ]), /it\.jsonl:3 \(field "question"\)/);

  const [xnli] = writeFiles({ 'x.tsv': 'language\tpremise\thypothesis\tlabel\nen\tp\th\t0\nen\tp\th\tmaybe\n' });
  inputError(() => importBenchmark('xnli', [xnli]), /x\.tsv:3 \(field "label"\)/);
  const [header] = writeFiles({ 'x.tsv': 'language\tpremise\tlabel\nen\tp\t0\n' });
  inputError(() => importBenchmark('xnli', [header]), /x\.tsv:1 \(field "hypothesis"\)/);
});

test('error: answers or source ids that disagree across languages', () => {
  const files = writeFiles({ 'mgsm_en.tsv': 'a\t1\nb\t2\n', 'mgsm_fr.tsv': 'a\t1\nb\t3\n' });
  inputError(() => importBenchmark('mgsm', files), /mgsm_fr\.tsv:2 \(field "answer"\)/, /mgsm_en\.tsv:2/);
  const row = (idx: number): string =>
    `{"premise": "p", "choice1": "a", "choice2": "b", "question": "cause", "label": 1, "idx": ${idx}}\n`;
  const swapped = writeFiles({ 'xcopa_et.jsonl': row(1) + row(2), 'xcopa_ht.jsonl': row(2) + row(1) });
  inputError(() => importBenchmark('xcopa', swapped), /xcopa_ht\.jsonl:1 \(field "id"\)/);
});

test('error: unknown or unrecognisable language codes', () => {
  inputError(() => importBenchmark('mgsm', writeFiles({ 'mgsm_xx.tsv': 'q\t1\n' })), /"xx" is not one/);
  inputError(() => importBenchmark('mgsm', writeFiles({ 'mgsm_klingon.tsv': 'q\t1\n' })), /got "klingon"/);
  inputError(() => importBenchmark('mgsm', writeFiles({ 'mgsm_en.txt': 'q\t1\n' })), /mgsm_<lang>\.tsv/);
  inputError(() => importBenchmark('mgsm', writeFiles({ 'mgsm_en_sw.tsv': 'q\t1\n' })), /got "en_sw"/);
  // English language names, as MathOctopus spells its files, are languages too.
  assert.deepEqual(Object.keys(importBenchmark('mgsm', writeFiles({ 'mgsm_Bengali.tsv': 'q\t1\n' }))[0].langs), ['bn']);
  inputError(() => importBenchmark('msvamp', writeFiles({ 'mgsm_en.json': '[]' })), /got "mgsm_en"/);
  inputError(
    () => importBenchmark('xnli', writeFiles({ 'x.tsv': 'language\tpremise\thypothesis\tlabel\nklingon\tp\th\t0\n' })),
    /x\.tsv:2 \(field "language"\)/,
  );
  // 639-3 codes from the known list are fine.
  const items = importBenchmark('mgsm', writeFiles({ 'mgsm_yor.tsv': 'q\t1\n', 'mgsm_en.tsv': 'q\t1\n' }));
  assert.deepEqual(Object.keys(items[0].langs), ['yor', 'en']);
});

test('error: empty files, missing files, duplicate languages', () => {
  inputError(() => importBenchmark('mgsm', writeFiles({ 'mgsm_en.tsv': '' })), /mgsm_en\.tsv: a non-empty file/);
  inputError(() => importBenchmark('mgsm', writeFiles({ 'mgsm_en.tsv': '\n  \n' })), /non-empty file/);
  inputError(() => importBenchmark('msvamp', writeFiles({ 'en.json': '[]' })), /non-empty file/);
  inputError(
    () => importBenchmark('xnli', writeFiles({ 'x.tsv': 'language\tpremise\thypothesis\tlabel\n' })),
    /only a header/,
  );
  inputError(() => importBenchmark('mgsm', [path.join(tmpDir(), 'mgsm_en.tsv')]), /readable file \(ENOENT\)/);
  inputError(() => importBenchmark('mgsm', []), /at least one mgsm file/);
  inputError(
    () => importBenchmark('mgsm', writeFiles({ 'mgsm_en.tsv': 'q\t1\n', 'en.tsv': 'q\t1\n' })),
    /one file per language/,
  );
});

test('writeParallelJsonl: rejects invalid items and duplicate ids without touching the target', () => {
  const out = path.join(tmpDir(), 'x.parallel.jsonl');
  fs.writeFileSync(out, 'old\n');
  const item: ParallelItem = { id: 'a', answer: '1', langs: { en: { prompt: 'q' } } };
  inputError(() => writeParallelJsonl([item, item], out), /x\.parallel\.jsonl:2 \(field "id"\)/);
  inputError(() => writeParallelJsonl([{ ...item, answer: '' }], out), /field "answer"/);
  assert.equal(fs.readFileSync(out, 'utf8'), 'old\n');
  writeParallelJsonl([item], out);
  assert.equal(fs.readFileSync(out, 'utf8'), JSON.stringify(item) + '\n');
});
