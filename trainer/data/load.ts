// Reading parallel datasets from disk. Every line is checked by protocol/datasetCheck (the
// checks the editor's diagnostics and the dataset grid run too); the first error stops the
// load with an error naming file, line and field. Bytes are read as strict UTF-8, so a file
// in another encoding is an error, not replacement characters.
import type { ParallelItem } from '../../protocol/dataset';
import { type CheckOptions, checkDataset, type DatasetProblem } from '../../protocol/datasetCheck';
import { InputError } from '../../protocol/errors';
import { jsonFieldAt, readUtf8File } from './utf8';

/** The items of a dataset's text, or the InputError of its first error (in line order). */
export function parseParallelJsonl(text: string, file: string): ParallelItem[] {
  return checkedItems(text, file, { warnings: false }).items;
}

export function loadParallelJsonl(file: string): ParallelItem[] {
  return parseParallelJsonl(readDataset(file), file);
}

/**
 * `solar data validate`: the load's checks, then the warnings that do not stop a load
 * (text in another script, a response whose last number is not the answer, items
 * without the pivot …).
 */
export function validateParallelJsonl(
  file: string,
  options: CheckOptions = {},
): { items: ParallelItem[]; warnings: DatasetProblem[] } {
  return checkedItems(readDataset(file), file, options);
}

function readDataset(file: string): string {
  return readUtf8File(file, 'a readable dataset file', jsonFieldAt);
}

function checkedItems(
  text: string,
  file: string,
  options: CheckOptions,
): { items: ParallelItem[]; warnings: DatasetProblem[] } {
  const { items, problems } = checkDataset(text, options);
  const error = problems.find((p) => p.severity === 'error');
  if (error) throw new InputError({ file, line: error.line, field: error.field }, error.message);
  return { items, warnings: problems };
}

/** Languages present in a set of items, pivot first then alphabetical. */
export function datasetLanguages(items: ParallelItem[], pivot: string): string[] {
  const langs = new Set<string>();
  for (const it of items) for (const l of Object.keys(it.langs)) langs.add(l);
  return [...langs].sort((a, b) => (a === pivot ? -1 : b === pivot ? 1 : a.localeCompare(b)));
}

/**
 * Per language: how many items have it and how many of those carry a response. Only
 * response tokens are trained on, so a language with no responses has nothing to learn.
 */
export function languageCounts(items: ParallelItem[]): Map<string, { items: number; responses: number }> {
  const counts = new Map<string, { items: number; responses: number }>();
  for (const it of items) {
    for (const [lang, entry] of Object.entries(it.langs)) {
      const c = counts.get(lang) ?? { items: 0, responses: 0 };
      c.items++;
      if (entry.response !== undefined) c.responses++;
      counts.set(lang, c);
    }
  }
  return counts;
}
