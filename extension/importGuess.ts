// The pure half of "SOLAR: Import Benchmark…" (datasetCommands.ts): which benchmark the
// picked files are, guessed from their paths and first lines, and the `solar data import`
// command line. vscode-free, so it is unit-tested. The importers themselves (and the
// shapes they accept) are trainer/data/import/*.ts; this guess only preselects the format
// in the picker, so a wrong guess costs one click, never a wrong import.
import * as path from 'node:path';

/** The formats `solar data import --format` reads (trainer/data/import BenchmarkFormat). */
export const BENCHMARK_FORMATS = ['mgsm', 'msvamp', 'xcopa', 'xnli'] as const;
export type BenchmarkFormat = (typeof BENCHMARK_FORMATS)[number];

export const FORMAT_LABELS: Record<BenchmarkFormat, string> = {
  mgsm: 'MGSM: grade-school maths word problems (TSV or MathOctopus JSON)',
  msvamp: 'MSVAMP: maths word problems (MathOctopus test_<Language>.json)',
  xcopa: 'XCOPA: causal commonsense, two choices (JSON Lines)',
  xnli: 'XNLI: entailment, three labels (XNLI-1.0 TSV/JSONL, XNLI-MT, per-language JSONL)',
};

/** A picked file: its path and its first few kilobytes (enough for one record). */
export interface PickedFile {
  path: string;
  head: string;
}

/** Path words that name a benchmark (whole words of a file or folder name: `XNLI-MT-1.0`, `mgsm_bn.tsv`). */
const PATH_WORDS: Readonly<Record<string, BenchmarkFormat>> = {
  xnli: 'xnli',
  multinli: 'xnli',
  xcopa: 'xcopa',
  copa: 'xcopa',
  msvamp: 'msvamp',
  mgsm: 'mgsm',
};

/** The format a path names: its file name first, then its folders from the nearest. */
function fromPath(file: string): BenchmarkFormat | undefined {
  const parts = file.split(/[\\/]/).filter(Boolean).reverse();
  for (const part of parts) {
    const word = part
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .find((w) => Object.hasOwn(PATH_WORDS, w));
    if (word) return PATH_WORDS[word];
  }
  return undefined;
}

/** The first record of a JSON Lines file or a JSON array, as an object. */
function firstRecord(head: string): Record<string, unknown> | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  const line = text.startsWith('[') ? text.slice(1).trimStart().split('\n')[0] : text.split('\n')[0];
  try {
    const v: unknown = JSON.parse(line.replace(/,\s*$/, ''));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The format a file's first line shows (its field names, or its TSV columns). */
function fromContent(head: string): BenchmarkFormat | undefined {
  const rec = firstRecord(head);
  if (rec) {
    const has = (...keys: string[]) => keys.some((k) => Object.hasOwn(rec, k));
    if (has('premise') && has('choice1')) return 'xcopa';
    if (has('premise', 'sentence1') && has('hypothesis', 'sentence2', 'hypo')) return 'xnli';
    if (has('m_query')) return 'msvamp';
    if (has('query', 'question') && has('response', 'answer_number')) return 'mgsm';
    return undefined;
  }
  const first = head
    .replace(/^\uFEFF/, '')
    .split('\n')[0]
    .replace(/\r$/, '');
  const cols = first.split('\t');
  if (cols.length < 2) return undefined;
  if (cols.some((c) => /^(sentence1|premise)$/.test(c))) return 'xnli';
  if (cols.length === 2 && /^-?[\d,]+(\.\d+)?$/.test(cols[1].trim())) return 'mgsm';
  return undefined;
}

/** The format every picked file agrees on (path first, then content), or undefined when they do not. */
export function guessBenchmarkFormat(files: readonly PickedFile[]): BenchmarkFormat | undefined {
  const guesses = new Set(files.map((f) => fromPath(f.path) ?? fromContent(f.head)));
  if (guesses.size !== 1) return undefined;
  return [...guesses][0];
}

export interface ImportRequest {
  format: BenchmarkFormat;
  files: readonly string[];
  /** Absolute path of the `*.parallel.jsonl` to write. */
  out: string;
  /** `answer`: build responses from the gold answers (a training set); `none`: an eval set. */
  responses: 'none' | 'answer';
}

export function importArgs(trainerJs: string, req: ImportRequest): string[] {
  return [
    trainerJs,
    'data',
    'import',
    '--format',
    req.format,
    '--out',
    req.out,
    '--responses',
    req.responses,
    ...req.files,
  ];
}

/** The name the save dialog suggests: an eval set or a training set of the format. */
export function defaultImportName(format: BenchmarkFormat, responses: ImportRequest['responses']): string {
  return `${format}${responses === 'answer' ? '-train' : '-eval'}.parallel.jsonl`;
}

/** The folder the files were picked from (the save dialog's fallback). */
export function pickedFolder(files: readonly string[]): string | undefined {
  return files.length ? path.dirname(files[0]) : undefined;
}
