// Reading parallel datasets from disk. Every line is validated with the protocol schema;
// the first bad line stops the load with an error naming file, line and field. Bytes are
// read as strict UTF-8, so a file in another encoding is an error, not replacement characters.
import { ParallelItem } from '../../protocol/dataset';
import { InputError, parseWith } from '../../protocol/errors';
import { jsonFieldAt, readUtf8File } from './utf8';

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
    if (prev !== undefined)
      throw new InputError(
        { file, line: i + 1, field: 'id' },
        `a unique id ("${item.id}" is already used on line ${prev})`,
      );
    seen.set(item.id, i + 1);
    items.push(item);
  });
  if (!items.length) throw new InputError({ file }, 'at least one parallel item (the file is empty)');
  return items;
}

export function loadParallelJsonl(file: string): ParallelItem[] {
  return parseParallelJsonl(readUtf8File(file, 'a readable dataset file', jsonFieldAt), file);
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
