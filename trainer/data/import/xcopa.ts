// XCOPA (Ponti et al., 2020): one JSON Lines file per language,
// `xcopa_<lang>.jsonl` or `<lang>.jsonl`, rows with premise, choice1, choice2,
// question ("cause" | "effect"), label (0 | 1) and an optional idx.

import { InputError } from '../../../protocol/errors';
import { Fields, readJsonRecords, type LanguageRows } from './common';
import { languageFromFileName } from './languages';

/**
 * The scaffold words are English in every language on purpose: the premise
 * and choices are the parallel content, and one shared template keeps the
 * languages' prompts comparable. Templates localised per language belong to
 * the prompt formatter, not the importer.
 */
function prompt(premise: string, question: 'cause' | 'effect'): string {
  return `Premise: ${premise.trim()}\nQuestion: What was the ${question}?`;
}

export function importXcopa(files: readonly string[], want: (lang: string) => boolean): LanguageRows[] {
  const out: LanguageRows[] = [];
  for (const file of files) {
    const lang = languageFromFileName(file, 'xcopa', ['.jsonl', '.json']);
    if (!want(lang)) continue;
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
        entry: { prompt: prompt(f.text('premise'), question), choices: [f.text('choice1').trim(), f.text('choice2').trim()] },
        sourceId: f.id('idx'),
      };
    });
    out.push({ lang, file, rows });
  }
  return out;
}
