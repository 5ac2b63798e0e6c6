// "Import Benchmark…" preselects the format it guesses from the picked files: every layout
// the importers read (test/fixtures/benchmarks, the files as published) is guessed right
// from its path, a renamed file from its first line, and files that disagree give no guess.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { defaultImportName, guessBenchmarkFormat, importArgs, type PickedFile } from '../../extension/importGuess';
import { ROOT } from '../helpers/helpers';

const BENCH = path.join(ROOT, 'test', 'fixtures', 'benchmarks');
const picked = (...rel: string[]): PickedFile[] =>
  rel.map((r) => ({ path: path.join(BENCH, r), head: fs.readFileSync(path.join(BENCH, r), 'utf8').slice(0, 4096) }));
/** The same files as if saved under names that say nothing (`/tmp/data/1.jsonl`): only content can tell. */
const renamed = (files: PickedFile[]): PickedFile[] =>
  files.map((f, i) => ({ path: `/tmp/data/${i}${path.extname(f.path)}`, head: f.head }));

const LAYOUTS: [string, string[]][] = [
  ['mgsm', ['mgsm/mgsm_en.tsv', 'mgsm/mgsm_bn.tsv', 'mgsm/th.tsv']],
  ['mgsm', ['mathoctopus/mgsm/mgsm_English.json', 'mathoctopus/mgsm/mgsm_Swahili.json']],
  ['msvamp', ['msvamp/en.json', 'msvamp/msvamp_zh.json']],
  ['msvamp', ['mathoctopus/msvamp/test_English.json', 'mathoctopus/msvamp/test_Thai.json']],
  ['xcopa', ['xcopa/xcopa_sw.jsonl', 'xcopa/th.jsonl', 'xcopa/data/et/test.et.jsonl', 'xcopa/COPA/test.jsonl']],
  ['xnli', ['xnli/xnli.test.tsv']],
  ['xnli', ['xnli/XNLI-1.0/xnli.test.jsonl']],
  ['xnli', ['xnli/XNLI-MT-1.0/multinli/multinli.train.en.tsv', 'xnli/XNLI-MT-1.0/multinli/multinli.train.de.tsv']],
  ['xnli', ['xnli/xnli_en.jsonl', 'xnli/xnli_ru.jsonl']],
];

test('every published layout is guessed from its paths', () => {
  for (const [format, files] of LAYOUTS) assert.equal(guessBenchmarkFormat(picked(...files)), format, files.join(', '));
});

test('renamed files are guessed from their first line (field names, TSV columns)', () => {
  for (const [format, files] of LAYOUTS) {
    assert.equal(guessBenchmarkFormat(renamed(picked(...files))), format, files.join(', '));
  }
});

test('files of two benchmarks, or files that show nothing, give no guess', () => {
  assert.equal(guessBenchmarkFormat(picked('mgsm/mgsm_en.tsv', 'xcopa/xcopa_sw.jsonl')), undefined);
  assert.equal(guessBenchmarkFormat([{ path: '/data/online/notes.txt', head: 'hello\n' }]), undefined);
  assert.equal(guessBenchmarkFormat([]), undefined);
});

test('a word inside a folder name is not a benchmark name ("online" is not NLI)', () => {
  const [mgsm] = picked('mgsm/mgsm_en.tsv');
  assert.equal(guessBenchmarkFormat([{ path: '/home/u/online/x.tsv', head: mgsm.head }]), 'mgsm');
});

test('the import command line and the suggested file name', () => {
  assert.deepEqual(
    importArgs('/x/trainer.js', {
      format: 'xcopa',
      files: ['/a/sw.jsonl', '/a/th.jsonl'],
      out: '/w/o.parallel.jsonl',
      responses: 'answer',
    }),
    [
      '/x/trainer.js',
      'data',
      'import',
      '--format',
      'xcopa',
      '--out',
      '/w/o.parallel.jsonl',
      '--responses',
      'answer',
      '/a/sw.jsonl',
      '/a/th.jsonl',
    ],
  );
  assert.equal(defaultImportName('mgsm', 'none'), 'mgsm-eval.parallel.jsonl');
  assert.equal(defaultImportName('mgsm', 'answer'), 'mgsm-train.parallel.jsonl');
});
