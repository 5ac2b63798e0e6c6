// Which languages `solar eval` evaluates. Every language in the data by default, not only
// the run's training languages: a benchmark's other languages are exactly what a user
// brings it for (how the model does on languages it was not tuned on), and the built-in
// byte-level model reads any text. Whatever is left out is said, with why.
import { LanguageCode } from '../../protocol/dataset';
import { UsageError } from './usageError';

export interface LanguageChoice {
  /** Languages to evaluate, in the data's order (pivot first). */
  languages: string[];
  /** Languages asked for or in the data that are not evaluated, with why. */
  notEvaluated: Record<string, string>;
}

/** `--languages en,sw` as a list of codes, or undefined when the flag was not given. */
export function parseLanguagesFlag(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const codes = [...new Set(value.split(',').map((l) => l.trim()))];
  const bad = codes.find((l) => !LanguageCode.safeParse(l).success);
  if (bad !== undefined)
    throw new UsageError(`--languages expects language codes separated by commas, such as en,sw (got "${bad}")`);
  return codes;
}

/**
 * @param present the languages in the data, pivot first (datasetLanguages)
 * @param asked --languages, or undefined for every language in the data
 * @param dataFile named in the reasons and in the error when nothing is left
 */
export function chooseLanguages(present: string[], asked: string[] | undefined, dataFile: string): LanguageChoice {
  if (asked === undefined) return { languages: present, notEvaluated: {} };
  const notEvaluated: Record<string, string> = {};
  for (const l of asked) if (!present.includes(l)) notEvaluated[l] = `not in ${dataFile}`;
  for (const l of present) if (!asked.includes(l)) notEvaluated[l] = 'not in --languages';
  const languages = present.filter((l) => asked.includes(l));
  if (!languages.length)
    throw new UsageError(`none of --languages ${asked.join(',')} is in ${dataFile} (it has ${present.join(', ')})`);
  return { languages, notEvaluated };
}
