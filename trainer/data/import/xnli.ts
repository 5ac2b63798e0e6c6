// XNLI (Conneau et al., 2018) in either of its two common shapes:
// - the original TSV (`xnli.test.tsv`): a header row naming `language`,
//   `sentence1`/`premise`, `sentence2`/`hypothesis`, `gold_label`/`label`
//   (optionally `pairID`), all languages in one file, each language's rows in
//   the same item order;
// - one JSON Lines file per language (`xnli_<lang>.jsonl` or `<lang>.jsonl`)
//   with premise, hypothesis and label (0/1/2 as on the Hugging Face hub, or
//   the label word).

import * as path from 'node:path';
import { InputError } from '../../../protocol/errors';
import { Fields, readJsonRecords, readText, textLines, type LanguageRows, type ParsedRow } from './common';
import { isKnownLanguage, languageFromFileName } from './languages';

/** Choice order fixes the answer index; it matches the Hugging Face label ids. */
export const XNLI_CHOICES = ['entailment', 'neutral', 'contradiction'] as const;

function labelIndex(raw: unknown): string | null {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (s === '0' || s === '1' || s === '2') return s;
  const i = (XNLI_CHOICES as readonly string[]).indexOf(s);
  return i >= 0 ? String(i) : null;
}

function row(line: number, premise: string, hypothesis: string, answer: string, sourceId?: string): ParsedRow {
  return {
    line,
    answer,
    // English scaffold words in every language, as in xcopa.ts: the sentences are the parallel content.
    entry: { prompt: `Premise: ${premise.trim()}\nHypothesis: ${hypothesis.trim()}`, choices: [...XNLI_CHOICES] },
    sourceId,
  };
}

function importTsv(file: string, want: (lang: string) => boolean): LanguageRows[] {
  const [header, ...data] = textLines(readText(file));
  const names = header.text.split('\t').map((h) => h.trim());
  const column = (...options: string[]): number => {
    const i = options.map((o) => names.indexOf(o)).find((x) => x >= 0);
    if (i === undefined) {
      throw new InputError({ file, line: header.line, field: options[0] }, `a header row with a column ${options.map((o) => `"${o}"`).join(' or ')}`);
    }
    return i;
  };
  const cLang = column('language');
  const cPremise = column('premise', 'sentence1');
  const cHypothesis = column('hypothesis', 'sentence2');
  const cLabel = column('gold_label', 'label');
  const cPair = names.indexOf('pairID');
  if (data.length === 0) throw new InputError({ file }, 'a non-empty file (only a header row)');

  const byLang = new Map<string, LanguageRows>();
  for (const { line, text } of data) {
    const cols = text.split('\t');
    if (cols.length !== names.length) {
      const field = names[Math.min(cols.length, names.length - 1)];
      throw new InputError({ file, line, field }, `${names.length} tab-separated columns as in the header, got ${cols.length}`);
    }
    const lang = cols[cLang].trim();
    if (!isKnownLanguage(lang)) throw new InputError({ file, line, field: 'language' }, `a known ISO 639 language code (got "${lang}")`);
    if (!want(lang)) continue;
    const cell = (c: number): string => {
      if (cols[c].trim() === '') throw new InputError({ file, line, field: names[c] }, 'a non-empty value');
      return cols[c];
    };
    const answer = labelIndex(cols[cLabel]);
    if (answer === null) {
      throw new InputError({ file, line, field: names[cLabel] }, `one of ${XNLI_CHOICES.join(', ')} or 0-2 (got "${cols[cLabel]}")`);
    }
    let set = byLang.get(lang);
    if (!set) byLang.set(lang, (set = { lang, file, rows: [] }));
    set.rows.push(row(line, cell(cPremise), cell(cHypothesis), answer, cPair >= 0 ? cols[cPair].trim() || undefined : undefined));
  }
  return [...byLang.values()];
}

function importJsonl(file: string, want: (lang: string) => boolean): LanguageRows[] {
  const lang = languageFromFileName(file, 'xnli', ['.jsonl', '.json']);
  if (!want(lang)) return [];
  const rows = readJsonRecords(file).map(({ line, value }) => {
    const f = new Fields(value, file, line);
    const labelField = f.has('gold_label') && !f.has('label') ? 'gold_label' : 'label';
    const answer = labelIndex(f.has(labelField) ? f.raw(labelField) : undefined);
    if (answer === null) {
      throw new InputError({ file, line, field: labelField }, `one of ${XNLI_CHOICES.join(', ')} or 0-2`);
    }
    return row(line, f.text('premise', 'sentence1'), f.text('hypothesis', 'sentence2'), answer, f.id('pairID'));
  });
  return [{ lang, file, rows }];
}

export function importXnli(files: readonly string[], want: (lang: string) => boolean): LanguageRows[] {
  return files.flatMap((file) => (path.extname(file).toLowerCase() === '.tsv' ? importTsv(file, want) : importJsonl(file, want)));
}
