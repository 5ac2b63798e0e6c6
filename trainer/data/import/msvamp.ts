// MSVAMP (Chen et al., 2023, MathOctopus): one JSON file per language,
// `<lang>.json` or `msvamp_<lang>.json`, an array of objects whose `m_query`
// is the question and `response` the numeric answer (number or string).
// JSON Lines with the same fields is accepted too.

import { Fields, readJsonRecords, type LanguageRows } from './common';
import { languageFromFileName } from './languages';

export function importMsvamp(files: readonly string[], want: (lang: string) => boolean): LanguageRows[] {
  const out: LanguageRows[] = [];
  for (const file of files) {
    const lang = languageFromFileName(file, 'msvamp', ['.json', '.jsonl']);
    if (!want(lang)) continue;
    const rows = readJsonRecords(file).map(({ line, value }) => {
      const f = new Fields(value, file, line);
      return { line, answer: f.number('response'), entry: { prompt: f.text('m_query').trim() } };
    });
    out.push({ lang, file, rows });
  }
  return out;
}
