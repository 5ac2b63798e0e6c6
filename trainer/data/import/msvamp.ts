// MSVAMP (Chen et al., 2023, MathOctopus) as published: one file per language,
// `test_<Language>.json` (e.g. `test_Thai.json`), JSON Lines whose `m_query` is the
// question in that language and `response` the numeric answer ("8.0"). Also read:
// `<lang>.json` / `msvamp_<lang>.json`, and one JSON array instead of JSON Lines.

import { Fields, type ImportContext, type LanguageRows, readJsonRecords } from './common';

const NAMING = { prefixes: ['msvamp'], extensions: ['.json', '.jsonl'] };

export function importMsvamp(files: readonly string[], ctx: ImportContext): LanguageRows[] {
  const out: LanguageRows[] = [];
  for (const file of files) {
    const lang = ctx.languages.of(file, NAMING);
    if (!ctx.want(lang)) continue;
    const rows = readJsonRecords(file).map(({ line, value }) => {
      const f = new Fields(value, file, line);
      return { line, answer: f.number('response'), entry: { prompt: f.text('m_query').trim() } };
    });
    out.push({ lang, file, rows });
  }
  return out;
}
