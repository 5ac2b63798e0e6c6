// MGSM (Shi et al., 2022): one `mgsm_<lang>.tsv` per language, no header,
// each line "question<TAB>numeric answer", lines parallel across languages.

import { InputError } from '../../../protocol/errors';
import { normaliseNumber } from '../../eval/extractAnswer';
import { readText, textLines, type LanguageRows } from './common';
import { languageFromFileName } from './languages';

export function importMgsm(files: readonly string[], want: (lang: string) => boolean): LanguageRows[] {
  const out: LanguageRows[] = [];
  for (const file of files) {
    const lang = languageFromFileName(file, 'mgsm', ['.tsv']);
    if (!want(lang)) continue;
    const rows = textLines(readText(file)).map(({ line, text }) => {
      const cols = text.split('\t');
      // A tab inside a question would shift the answer column; refuse rather than guess.
      if (cols.length !== 2) {
        throw new InputError({ file, line, field: cols.length < 2 ? 'answer' : 'question' }, `2 tab-separated columns (question, answer), got ${cols.length}`);
      }
      const [question, rawAnswer] = cols;
      if (question.trim() === '') throw new InputError({ file, line, field: 'question' }, 'a non-empty question');
      const answer = normaliseNumber(rawAnswer);
      if (answer === null) throw new InputError({ file, line, field: 'answer' }, `a number (got "${rawAnswer}")`);
      return { line, answer, entry: { prompt: question.trim() } };
    });
    out.push({ lang, file, rows });
  }
  return out;
}
