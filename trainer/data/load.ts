// Reading parallel datasets from disk. Every line is validated with the protocol schema;
// the first bad line stops the load with an error naming file, line and field.
import * as fs from 'node:fs';
import { ParallelItem } from '../../protocol/dataset';
import { InputError, parseWith } from '../../protocol/errors';

export function parseParallelJsonl(text: string, file: string): ParallelItem[] {
  const items: ParallelItem[] = [];
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputError({ file, line: i + 1 }, `one JSON object per line (${(e as Error).message})`);
    }
    const item = parseWith(ParallelItem, value, file, i + 1);
    const prev = seen.get(item.id);
    if (prev !== undefined) throw new InputError({ file, line: i + 1, field: 'id' }, `a unique id ("${item.id}" is already used on line ${prev})`);
    seen.set(item.id, i + 1);
    items.push(item);
  });
  if (!items.length) throw new InputError({ file }, 'at least one parallel item (the file is empty)');
  return items;
}

export function loadParallelJsonl(file: string): ParallelItem[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file }, `a readable dataset file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseParallelJsonl(text, file);
}

/** Languages present in a set of items, pivot first then alphabetical. */
export function datasetLanguages(items: ParallelItem[], pivot: string): string[] {
  const langs = new Set<string>();
  for (const it of items) for (const l of Object.keys(it.langs)) langs.add(l);
  return [...langs].sort((a, b) => (a === pivot ? -1 : b === pivot ? 1 : a.localeCompare(b)));
}
