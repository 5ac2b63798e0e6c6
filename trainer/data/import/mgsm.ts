// MGSM (Shi et al., 2022) as published:
// - google-research/url-nlp: one `mgsm_<lang>.tsv` per language, no header, each line
//   "question<TAB>numeric answer", lines parallel across languages;
// - MathOctopus: `mgsm_<Language>.json` (e.g. `mgsm_Bengali.json`), JSON Lines with
//   `query` and `response` (the numeric answer); `question`/`answer_number` as on the
//   Hugging Face hub are read too.

import * as path from 'node:path';
import { InputError } from '../../../protocol/errors';
import { normaliseNumber } from '../../eval/extractAnswer';
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

const NAMING = { prefixes: ['mgsm'], extensions: ['.tsv', '.jsonl', '.json'] };

function tsvRows(file: string): ParsedRow[] {
  return textLines(readText(file, tsvFieldAt(['question', 'answer']))).map(({ line, text }) => {
    const cols = text.split('\t');
    // A tab inside a question would shift the answer column; refuse rather than guess.
    if (cols.length !== 2) {
      throw new InputError(
        { file, line, field: cols.length < 2 ? 'answer' : 'question' },
        `2 tab-separated columns (question, answer), got ${cols.length}`,
      );
    }
    const [question, rawAnswer] = cols;
    if (question.trim() === '') throw new InputError({ file, line, field: 'question' }, 'a non-empty question');
    const answer = normaliseNumber(rawAnswer);
    if (answer === null) throw new InputError({ file, line, field: 'answer' }, `a number (got "${rawAnswer}")`);
    return { line, answer, entry: { prompt: question.trim() } };
  });
}

function jsonRows(file: string): ParsedRow[] {
  return readJsonRecords(file).map(({ line, value }) => {
    const f = new Fields(value, file, line);
    return {
      line,
      answer: f.number('response', 'answer_number'),
      entry: { prompt: f.text('query', 'question').trim() },
    };
  });
}

export function importMgsm(files: readonly string[], ctx: ImportContext): LanguageRows[] {
  const out: LanguageRows[] = [];
  for (const file of files) {
    const lang = ctx.languages.of(file, NAMING);
    if (!ctx.want(lang)) continue;
    out.push({ lang, file, rows: path.extname(file).toLowerCase() === '.tsv' ? tsvRows(file) : jsonRows(file) });
  }
  return out;
}
