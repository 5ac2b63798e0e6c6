// XNLI (Conneau et al., 2018) in the shapes it is published in:
// - XNLI-1.0 (`xnli.test.tsv`, `xnli.dev.tsv`): a header row naming `language`,
//   `sentence1`/`premise`, `sentence2`/`hypothesis`, `gold_label`/`label` (optionally
//   `pairID`), all languages in one file, each language's rows in the same item order;
// - XNLI-1.0 JSON Lines (`xnli.test.jsonl`): the same records with a `language` field;
// - XNLI-MT-1.0 (`multinli/multinli.train.<lang>.tsv`): one TSV per language, header
//   `premise`, `hypo`, `label`, with "contradictory" for contradiction;
// - one JSON Lines file per language (`xnli_<lang>.jsonl`, `<lang>.jsonl`, or a
//   `<lang>/` folder) with premise, hypothesis and label (0/1/2 as on the Hugging Face
//   hub, or the label word).

import * as path from 'node:path';
import { InputError } from '../../../protocol/errors';
import { tsvFieldAt } from '../utf8';
import {
  Fields,
  type ImportContext,
  type LanguageRows,
  type ParsedRow,
  readJsonRecords,
  readText,
  textLines,
} from './common';
import { isKnownLanguage } from './languages';

/** Choice order fixes the answer index; it matches the Hugging Face label ids. */
export const XNLI_CHOICES = ['entailment', 'neutral', 'contradiction'] as const;

const NAMING = { prefixes: ['xnli', 'multinli'], extensions: ['.tsv', '.jsonl', '.json'] };

function labelIndex(raw: unknown): string | null {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (s === '0' || s === '1' || s === '2') return s;
  // XNLI-MT's training files spell contradiction "contradictory".
  const i = (XNLI_CHOICES as readonly string[]).indexOf(s === 'contradictory' ? 'contradiction' : s);
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

/** Rows grouped by language, in first-seen order. */
class ByLanguage {
  private readonly sets = new Map<string, LanguageRows>();
  constructor(private readonly file: string) {}
  add(lang: string, r: ParsedRow): void {
    const set = this.sets.get(lang) ?? { lang, file: this.file, rows: [] };
    this.sets.set(lang, set);
    set.rows.push(r);
  }
  all(): LanguageRows[] {
    return [...this.sets.values()];
  }
}

function checkedLanguage(raw: unknown, file: string, line: number): string {
  const lang = typeof raw === 'string' ? raw.trim() : '';
  if (!isKnownLanguage(lang))
    throw new InputError(
      { file, line, field: 'language' },
      `a known ISO 639 language code (got ${JSON.stringify(raw)})`,
    );
  return lang;
}

function importTsv(file: string, ctx: ImportContext): LanguageRows[] {
  const [header, ...data] = textLines(readText(file, tsvFieldAt()));
  const names = header.text.split('\t').map((h) => h.trim());
  const column = (...options: string[]): number => {
    const i = options.map((o) => names.indexOf(o)).find((x) => x >= 0);
    if (i === undefined) {
      throw new InputError(
        { file, line: header.line, field: options[0] },
        `a header row with a column ${options.map((o) => `"${o}"`).join(' or ')}`,
      );
    }
    return i;
  };
  // Without a language column (XNLI-MT) the whole file is one language, named by its path.
  const cLang = names.indexOf('language');
  const fileLang = cLang < 0 ? ctx.languages.of(file, NAMING) : undefined;
  const cPremise = column('premise', 'sentence1');
  const cHypothesis = column('hypothesis', 'sentence2', 'hypo');
  const cLabel = column('gold_label', 'label');
  const cPair = names.indexOf('pairID');
  if (data.length === 0) throw new InputError({ file }, 'a non-empty file (only a header row)');

  const out = new ByLanguage(file);
  for (const { line, text } of data) {
    const cols = text.split('\t');
    if (cols.length !== names.length) {
      const field = names[Math.min(cols.length, names.length - 1)];
      throw new InputError(
        { file, line, field },
        `${names.length} tab-separated columns as in the header, got ${cols.length}`,
      );
    }
    const lang = fileLang ?? checkedLanguage(cols[cLang], file, line);
    if (!ctx.want(lang)) continue;
    const cell = (c: number): string => {
      if (cols[c].trim() === '') throw new InputError({ file, line, field: names[c] }, 'a non-empty value');
      return cols[c];
    };
    const answer = labelIndex(cols[cLabel]);
    if (answer === null) {
      throw new InputError(
        { file, line, field: names[cLabel] },
        `one of ${XNLI_CHOICES.join(', ')} or 0-2 (got "${cols[cLabel]}")`,
      );
    }
    out.add(
      lang,
      row(line, cell(cPremise), cell(cHypothesis), answer, cPair >= 0 ? cols[cPair].trim() || undefined : undefined),
    );
  }
  return out.all();
}

function importJsonl(file: string, ctx: ImportContext): LanguageRows[] {
  const records = readJsonRecords(file).map(({ line, value }) => new Fields(value, file, line));
  // XNLI-1.0's own JSONL holds every language, each record saying which.
  const multi = records[0]?.has('language') ?? false;
  const fileLang = multi ? undefined : ctx.languages.of(file, NAMING);
  const out = new ByLanguage(file);
  for (const f of records) {
    const lang = fileLang ?? checkedLanguage(f.has('language') ? f.raw('language') : undefined, file, f.line);
    if (!ctx.want(lang)) continue;
    const labelField = f.has('gold_label') && !f.has('label') ? 'gold_label' : 'label';
    const answer = labelIndex(f.has(labelField) ? f.raw(labelField) : undefined);
    if (answer === null) {
      throw new InputError({ file, line: f.line, field: labelField }, `one of ${XNLI_CHOICES.join(', ')} or 0-2`);
    }
    out.add(
      lang,
      row(f.line, f.text('premise', 'sentence1'), f.text('hypothesis', 'sentence2', 'hypo'), answer, f.id('pairID')),
    );
  }
  return out.all();
}

export function importXnli(files: readonly string[], ctx: ImportContext): LanguageRows[] {
  return files.flatMap((file) => {
    const ext = path.extname(file).toLowerCase();
    if (!NAMING.extensions.includes(ext))
      throw new InputError({ file }, `an XNLI file ending in ${NAMING.extensions.join(', ')}`);
    return ext === '.tsv' ? importTsv(file, ctx) : importJsonl(file, ctx);
  });
}
