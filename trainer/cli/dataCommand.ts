// `solar data validate|generate`: dataset commands of the CLI.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../protocol/errors';
import { datasetLanguages, loadParallelJsonl } from '../data/load';
import { generateItems, GENERATOR_LANGUAGES } from '../data/generate/generate';
import { writeFileAtomic } from '../../protocol/runFolder';
import { intFlag } from './flags';
import { UsageError } from './usageError';
import { importBenchmark, writeParallelJsonl, type BenchmarkFormat } from '../data/import';

const usage = (message: string) => new UsageError(message);

function validate(files: string[]): number {
  if (!files.length) throw usage('data validate needs at least one file');
  for (const f of files) {
    const items = loadParallelJsonl(f);
    const langs = datasetLanguages(items, 'en');
    const perLang = langs.map((l) => `${l} ${items.filter((it) => it.langs[l]).length}`).join(', ');
    process.stdout.write(`${f}: ${items.length} items ok (${perLang})\n`);
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
    if (!lang || !(v > 0 && v <= 1)) throw usage(`${flag} expects lang=fraction pairs with 0 < fraction <= 1 (got "${part}")`);
    out[lang.trim()] = v;
  }
  return out;
}

function generate(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' }, count: { type: 'string', default: '200' }, seed: { type: 'string', default: '0' },
      languages: { type: 'string' }, coverage: { type: 'string' }, 'pivot-response': { type: 'string' }, 'no-responses': { type: 'boolean' },
      'id-prefix': { type: 'string' }, 'max-operand': { type: 'string' },
    },
  });
  if (!values.out) throw usage('data generate needs --out FILE');
  const count = intFlag(values.count, '--count', 1)!;
  const seed = intFlag(values.seed, '--seed', 0)!;
  const maxOperand = intFlag(values['max-operand'], '--max-operand', 2);
  const languages = values.languages ? values.languages.split(',').map((l) => l.trim()) : [...GENERATOR_LANGUAGES];
  const unknown = languages.filter((l) => !GENERATOR_LANGUAGES.includes(l));
  if (unknown.length) throw new InputError({ file: '--languages' }, `languages the generator knows (${GENERATOR_LANGUAGES.join(', ')}); unknown: ${unknown.join(', ')}`);
  const items = generateItems({
    count, seed, languages, coverage: parseFractions(values.coverage, '--coverage'), pivotResponse: parseFractions(values['pivot-response'], '--pivot-response'), withResponses: !values['no-responses'],
    idPrefix: values['id-prefix'], maxOperand,
  });
  fs.mkdirSync(path.dirname(path.resolve(values.out)), { recursive: true });
  writeFileAtomic(values.out, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  process.stdout.write(`wrote ${items.length} items in ${languages.length} languages to ${values.out}\n`);
  return 0;
}

const FORMATS: readonly BenchmarkFormat[] = ['mgsm', 'msvamp', 'xcopa', 'xnli'];

function importCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { format: { type: 'string' }, out: { type: 'string' }, languages: { type: 'string' } },
  });
  const format = values.format as BenchmarkFormat | undefined;
  if (!format || !FORMATS.includes(format)) throw usage(`data import needs --format ${FORMATS.join('|')}`);
  if (!values.out) throw usage('data import needs --out FILE');
  if (!positionals.length) throw usage('data import needs the benchmark files to read');
  const items = importBenchmark(format, positionals, { languages: values.languages?.split(',').map((l) => l.trim()) });
  writeParallelJsonl(items, values.out);
  const langs = Object.keys(items[0].langs);
  process.stdout.write(`imported ${items.length} ${format} items in ${langs.length} languages (${langs.join(', ')}) to ${values.out}\n`);
  return 0;
}

export async function dataCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'validate') return validate(rest);
  if (sub === 'generate') return generate(rest);
  if (sub === 'import') return importCommand(rest);
  throw usage(`unknown data command "${sub ?? ''}" (expected validate, generate or import)`);
}
