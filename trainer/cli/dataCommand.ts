// `solar data validate|generate|import|score`: dataset commands of the CLI (score: dataScore.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatLocation, InputError } from '../../protocol/errors';
import { writeFileAtomic } from '../../protocol/runFolder';
import { GENERATOR_LANGUAGES, generateItems } from '../data/generate/generate';
import {
  type BenchmarkFormat,
  importBenchmark,
  RESPONSE_MODES,
  type ResponseMode,
  writeParallelJsonl,
} from '../data/import';
import { datasetLanguages, languageCounts, validateParallelJsonl } from '../data/load';
import { dataScore } from './dataScore';
import { intFlag } from './flags';
import { UsageError } from './usageError';

const usage = (message: string) => new UsageError(message);

/** Warnings printed per file; the editor's Problems view lists every one. */
const MAX_WARNINGS = 20;

/**
 * Runs the same checks as loading a dataset for training or evaluation (schema, ids,
 * strict UTF-8, choice indices), then reports items and responses per language: a
 * language without responses can be evaluated but not trained, and `solar train` refuses it.
 * Warnings (protocol/datasetCheck: text in another script, responses whose last number is
 * not the answer, prompts whose numbers differ from the pivot's, items without the pivot)
 * are listed and do not change the exit code. The pivot is "en", the default of run configs.
 */
function validate(files: string[]): number {
  if (!files.length) throw usage('data validate needs at least one file');
  for (const f of files) {
    const { items, warnings } = validateParallelJsonl(f, { pivot: 'en' });
    const counts = languageCounts(items);
    const langs = datasetLanguages(items, 'en');
    const perLang = langs.map((l) => `${l} ${counts.get(l)!.items}`).join(', ');
    process.stdout.write(`${f}: ${items.length} items ok (${perLang})\n`);
    if (warnings.length) {
      process.stdout.write(`  ${warnings.length} warning${warnings.length === 1 ? '' : 's'}:\n`);
      for (const w of warnings.slice(0, MAX_WARNINGS))
        process.stdout.write(`  ${formatLocation({ file: f, line: w.line, field: w.field })}: ${w.message}\n`);
      if (warnings.length > MAX_WARNINGS) process.stdout.write(`  … and ${warnings.length - MAX_WARNINGS} more\n`);
    }
    const bare = langs.filter((l) => counts.get(l)!.responses === 0);
    const partial = langs.filter((l) => !bare.includes(l) && counts.get(l)!.responses < counts.get(l)!.items);
    if (partial.length)
      process.stdout.write(
        `  responses: ${partial.map((l) => `${l} ${counts.get(l)!.responses}/${counts.get(l)!.items}`).join(', ')}\n`,
      );
    if (bare.length) {
      const what = bare.length === langs.length ? 'the file' : bare.join(', ');
      process.stdout.write(
        `  no responses in ${bare.join(', ')}: ${what} can be evaluated but not trained (import with --responses answer to build them)\n`,
      );
    }
  }
  return 0;
}

/** "sw=0.1,yo=0.2" -> {sw: 0.1, yo: 0.2} */
function parseFractions(spec: string | undefined, flag: string): Record<string, number> | undefined {
  if (!spec) return undefined;
  const out: Record<string, number> = {};
  for (const part of spec.split(',')) {
    const [lang, frac] = part.split('=');
    const v = Number(frac);
    if (!lang || !(v > 0 && v <= 1))
      throw usage(`${flag} expects lang=fraction pairs with 0 < fraction <= 1 (got "${part}")`);
    out[lang.trim()] = v;
  }
  return out;
}

function generate(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      count: { type: 'string', default: '200' },
      seed: { type: 'string', default: '0' },
      languages: { type: 'string' },
      coverage: { type: 'string' },
      'pivot-response': { type: 'string' },
      'no-responses': { type: 'boolean' },
      'id-prefix': { type: 'string' },
      'max-operand': { type: 'string' },
    },
  });
  if (!values.out) throw usage('data generate needs --out FILE');
  const count = intFlag(values.count, '--count', 1)!;
  const seed = intFlag(values.seed, '--seed', 0)!;
  const maxOperand = intFlag(values['max-operand'], '--max-operand', 2);
  const languages = values.languages ? values.languages.split(',').map((l) => l.trim()) : [...GENERATOR_LANGUAGES];
  const unknown = languages.filter((l) => !GENERATOR_LANGUAGES.includes(l));
  if (unknown.length)
    throw new InputError(
      { file: '--languages' },
      `languages the generator knows (${GENERATOR_LANGUAGES.join(', ')}); unknown: ${unknown.join(', ')}`,
    );
  const items = generateItems({
    count,
    seed,
    languages,
    coverage: parseFractions(values.coverage, '--coverage'),
    pivotResponse: parseFractions(values['pivot-response'], '--pivot-response'),
    withResponses: !values['no-responses'],
    idPrefix: values['id-prefix'],
    maxOperand,
  });
  fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
  writeFileAtomic(values.out, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  process.stdout.write(`wrote ${items.length} items in ${languages.length} languages to ${values.out}\n`);
  return 0;
}

const FORMATS: readonly BenchmarkFormat[] = ['mgsm', 'msvamp', 'xcopa', 'xnli'];

function importCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      languages: { type: 'string' },
      language: { type: 'string' },
      responses: { type: 'string', default: 'none' },
    },
  });
  const format = values.format as BenchmarkFormat | undefined;
  if (!format || !FORMATS.includes(format)) throw usage(`data import needs --format ${FORMATS.join('|')}`);
  const responses = values.responses as ResponseMode;
  if (!RESPONSE_MODES.includes(responses))
    throw usage(`--responses expects ${RESPONSE_MODES.join(' or ')} (got "${values.responses}")`);
  if (!values.out) throw usage('data import needs --out FILE');
  if (!positionals.length) throw usage('data import needs the benchmark files to read');
  const items = importBenchmark(format, positionals, {
    languages: values.languages?.split(',').map((l) => l.trim()),
    language: values.language?.trim(),
    responses,
  });
  writeParallelJsonl(items, values.out);
  const langs = Object.keys(items[0].langs);
  const built =
    responses === 'answer'
      ? ', responses built from the answers'
      : ' (answers only, no responses: an eval set; --responses answer builds them)';
  process.stdout.write(
    `imported ${items.length} ${format} items in ${langs.length} languages (${langs.join(', ')}) to ${values.out}${built}\n`,
  );
  return 0;
}

export async function dataCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'validate') return validate(rest);
  if (sub === 'generate') return generate(rest);
  if (sub === 'import') return importCommand(rest);
  if (sub === 'score') return dataScore(rest);
  throw usage(`unknown data command "${sub ?? ''}" (expected validate, generate, import or score)`);
}
