// Entry point of the benchmark importers: downloaded public benchmark files in
// their native shapes -> ParallelItem[] joined by item index -> an atomically
// written `*.parallel.jsonl`.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParallelItem } from '../../../protocol/dataset';
import { InputError, parseWith } from '../../../protocol/errors';
import { type BenchmarkFormat, type ImportContext, joinByIndex, type LanguageRows } from './common';
import { FileLanguages } from './languages';
import { importMgsm } from './mgsm';
import { importMsvamp } from './msvamp';
import { type ResponseMode, withAnswerResponses } from './responses';
import { importXcopa } from './xcopa';
import { importXnli } from './xnli';

export type { BenchmarkFormat } from './common';
export { RESPONSE_MODES, type ResponseMode } from './responses';
export { XNLI_CHOICES } from './xnli';

export interface ImportOptions {
  /** Keep only these languages, in this order; each must be found in `files`. Default: every language, in file order. */
  languages?: string[];
  /** The language of files whose name gives none (`--language`); it wins over a parent folder's name. */
  language?: string;
  /** `answer`: build the missing responses from the gold answers (see responses.ts). Default `none`. */
  responses?: ResponseMode;
}

const IMPORTERS: Record<BenchmarkFormat, (files: readonly string[], ctx: ImportContext) => LanguageRows[]> = {
  mgsm: importMgsm,
  msvamp: importMsvamp,
  xcopa: importXcopa,
  xnli: importXnli,
};

/** Read a benchmark's files from disk and join its languages into ParallelItems (ids `<format>-0001`...). */
export function importBenchmark(
  format: BenchmarkFormat,
  files: readonly string[],
  opts: ImportOptions = {},
): ParallelItem[] {
  const importer = Object.hasOwn(IMPORTERS, format) ? IMPORTERS[format] : undefined;
  if (!importer)
    throw new InputError(
      { file: '(arguments)', field: 'format' },
      `one of ${Object.keys(IMPORTERS).join(', ')} (got "${String(format)}")`,
    );
  if (files.length === 0) throw new InputError({ file: '(arguments)', field: 'files' }, `at least one ${format} file`);
  const wanted = opts.languages;
  const languages = new FileLanguages(opts.language);
  let sets = importer(files, { want: (lang) => !wanted || wanted.includes(lang), languages });
  languages.checkUsed(files);
  if (wanted) {
    sets = wanted.map((lang) => {
      const set = sets.find((s) => s.lang === lang);
      if (!set)
        throw new InputError(
          { file: files.join(', '), field: 'languages' },
          `a ${format} file for requested language "${lang}"`,
        );
      return set;
    });
  }
  if (sets.length === 0) throw new InputError({ file: files.join(', ') }, `at least one language with ${format} items`);
  const items = joinByIndex(format, sets);
  return opts.responses === 'answer' ? withAnswerResponses(items) : items;
}

/**
 * Write items as JSON Lines to `outFile`, atomically: a temp file in the same
 * directory is fully written and fsynced, then renamed over the target, so a
 * crash never leaves a half-written dataset that the trainer would read.
 */
export function writeParallelJsonl(items: readonly ParallelItem[], outFile: string): void {
  const ids = new Set<string>();
  const lines = items.map((item, i) => {
    const checked = parseWith(ParallelItem, item, outFile, i + 1);
    if (ids.has(checked.id))
      throw new InputError({ file: outFile, line: i + 1, field: 'id' }, `a unique id ("${checked.id}" repeats)`);
    ids.add(checked.id);
    return JSON.stringify(checked) + '\n';
  });
  const dir = path.dirname(path.resolve(outFile));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(outFile)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeSync(fd, lines.join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, outFile);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
