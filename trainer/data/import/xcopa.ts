// XCOPA (Ponti et al., 2020): one JSON Lines file per language and split, rows with
// premise, choice1, choice2, question ("cause" | "effect"), label (0 | 1) and an
// optional idx. Upstream (cambridgeltl/xcopa) publishes `data/<lang>/test.<lang>.jsonl`
// and `val.<lang>.jsonl` (`data-gmt/` for the machine translations; Quechua also as
// `.json`); `xcopa_<lang>.jsonl` and `<lang>.jsonl` are read too. The English COPA
// files (`val.jsonl`, no language in the path) come in with `--language en`.

import { InputError } from '../../../protocol/errors';
import { Fields, type ImportContext, type LanguageRows, readJsonRecords } from './common';

const NAMING = { prefixes: ['xcopa', 'copa'], extensions: ['.jsonl', '.json'] };

/**
 * The scaffold words are English in every language on purpose: the premise
 * and choices are the parallel content, and one shared template keeps the
 * languages' prompts comparable. Templates localised per language belong to
 * the prompt formatter, not the importer.
 */
function prompt(premise: string, question: 'cause' | 'effect'): string {
  return `Premise: ${premise.trim()}\nQuestion: What was the ${question}?`;
}

export function importXcopa(files: readonly string[], ctx: ImportContext): LanguageRows[] {
  const out: LanguageRows[] = [];
  for (const file of files) {
    const lang = ctx.languages.of(file, NAMING);
    if (!ctx.want(lang)) continue;
    const rows = readJsonRecords(file).map(({ line, value }) => {
      const f = new Fields(value, file, line);
      const question = f.text('question').trim();
      if (question !== 'cause' && question !== 'effect') {
        throw new InputError({ file, line, field: 'question' }, `"cause" or "effect" (got "${question}")`);
      }
      const label = f.number('label');
      if (label !== '0' && label !== '1') throw new InputError({ file, line, field: 'label' }, `0 or 1 (got ${label})`);
      return {
        line,
        answer: label,
        entry: {
          prompt: prompt(f.text('premise'), question),
          choices: [f.text('choice1').trim(), f.text('choice2').trim()],
        },
        sourceId: f.id('idx'),
      };
    });
    out.push({ lang, file, rows });
  }
  return out;
}
