// `solar data score RUN_OR_CHECKPOINT FILE [--out SIDECAR] [--languages a,b] [--changed-only]`:
// every item of a dataset scored by a trained model (trainer/data/score.ts), written as a
// sidecar next to the dataset (protocol/datasetScores.ts; the dataset itself is never
// written). --changed-only scores only the items that are new or edited since the sidecar
// at --out was written with the same checkpoint, and keeps the others' figures.
// stderr carries `progress N/M` lines for the extension's progress bar, and a human line at
// the start and the end. Ctrl-C or SIGTERM stops between forward passes and writes
// nothing (exit 130 or 143); the sidecar is written atomically, so a reader never sees half
// of one.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { sidecarPath, writeScores } from '../../protocol/datasetScoresFile';
import { InputError } from '../../protocol/errors';
import { BACKEND_CHOICES, type BackendChoice } from '../../protocol/runConfig';
import { runName } from '../../protocol/runFolder';
import { selectBackend } from '../backend/selectBackend';
import { datasetLanguages, parseParallelJsonl } from '../data/load';
import { type ItemFigures, scoreItems } from '../data/score';
import { buildScores, itemLines, reusableScores, type ScoresHeader } from '../data/scoreSidecar';
import { jsonFieldAt, readUtf8File } from '../data/utf8';
import { loadModel, resolveCheckpoint } from '../model/loadModel';
import { chooseLanguages, parseLanguagesFlag } from './evalLanguages';
import { UsageError } from './usageError';

/** Exit codes of a stop by signal, as a shell reports them (128 + the signal's number). */
const STOP_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** How many of the weakest rows the summary names. */
const WEAKEST = 5;

export async function dataScore(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      languages: { type: 'string' },
      backend: { type: 'string' },
      'changed-only': { type: 'boolean' },
    },
  });
  if (positionals.length !== 2)
    throw new UsageError('data score needs a run folder (or checkpoint folder) and a dataset file');
  const [target, file] = positionals;
  const asked = parseLanguagesFlag(values.languages);
  const backend = (values.backend ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(backend))
    throw new UsageError(`--backend expects one of ${BACKEND_CHOICES.join(', ')}`);
  const out = values.out ?? sidecarPath(file);
  if (path.resolve(out) === path.resolve(file)) throw new UsageError('--out must not be the dataset itself');

  // Every input is checked before the backend loads, and before anything is written.
  const { checkpointDir } = resolveCheckpoint(target);
  const text = readUtf8File(file, 'a readable dataset file', jsonFieldAt);
  const items = parseParallelJsonl(text, file);
  const outDir = path.dirname(path.resolve(out));
  if (!fs.existsSync(outDir))
    throw new InputError({ file: out }, `a file in an existing folder (${outDir} is missing)`);

  const stop: { signal?: keyof typeof STOP_CODES } = {};
  const onSignal = (sig: keyof typeof STOP_CODES) => {
    if (stop.signal) process.exit(STOP_CODES[sig]);
    stop.signal = sig;
    process.stderr.write(`\n${sig}: stopping after this pass; nothing is written (send again to quit at once)\n`);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const info = await selectBackend(backend);
  const model = loadModel(checkpointDir);
  const config = model.state.config;
  const pivot = config.pivot;
  const { languages } = chooseLanguages(datasetLanguages(items, pivot), asked, file);
  const runDir = model.runDir;
  const header: ScoresHeader = {
    run: { dir: runDir, name: runName(path.basename(runDir)), checkpoint: model.checkpointDir, step: model.state.step },
    pivot,
    languages,
    settings: {
      tau: config.objective.tau,
      topK: config.objective.topK,
      pool: config.objective.pool,
      maxSeqLen: config.model.maxSeqLen,
    },
  };
  // --changed-only: items an earlier sidecar scored as they are now keep their figures.
  const lines = itemLines(text);
  const { reuse, why } = values['changed-only'] ? reusableScores(out, header, lines, items) : { reuse: new Map() };
  if (why) process.stderr.write(`scoring every item: ${why}\n`);
  const todo = items.filter((it) => !reuse.has(it.id));
  process.stderr.write(
    `scoring ${todo.length} of ${items.length} items of ${file} in ${languages.join(', ')} with ${path.basename(runDir)} step ${model.state.step} (${info.backend})…\n`,
  );
  const started = Date.now();
  const scored = await scoreItems(
    model.params,
    model.modelConfig,
    todo,
    { languages, pivot, maxSeqLen: config.model.maxSeqLen, objective: config.objective, tokenizer: model.tokenizer },
    {
      progress: (done, total) => process.stderr.write(`progress ${done}/${total}\n`),
      stopped: () => stop.signal !== undefined,
    },
  );
  tf.dispose([...model.params.values()]);
  if (!scored) {
    process.stderr.write(`stopped: ${out} not written\n`);
    return STOP_CODES[stop.signal ?? 'SIGINT'];
  }
  const secs = (Date.now() - started) / 1000;
  if (todo.length)
    process.stderr.write(
      `scored ${todo.length} items in ${secs.toFixed(1)}s (${(todo.length / Math.max(secs, 1e-3)).toFixed(1)} items/s)\n`,
    );
  const fresh = new Map(todo.map((it, k) => [it.id, scored[k]]));
  const figures = items.map((it) => reuse.get(it.id) ?? fresh.get(it.id)!);
  writeScores(out, buildScores(header, path.resolve(file), text, items, figures));
  const kept = reuse.size ? ` (${reuse.size} unchanged items kept their scores)` : '';
  process.stdout.write(`wrote ${out}: ${items.length} items in ${languages.length} languages${kept}\n`);
  for (const line of weakest(items, figures, pivot)) process.stdout.write(`${line}\n`);
  return 0;
}

/** The rows a user would look at first: the largest distances to the pivot and the largest losses. */
function weakest(items: { id: string }[], figures: ItemFigures[], pivot: string): string[] {
  const rows = figures.flatMap((f, i) => Object.entries(f).map(([lang, s]) => ({ id: items[i].id, lang, s })));
  const top = (key: 'distance' | 'loss') =>
    rows
      .filter((r) => r.s[key] !== undefined)
      .sort((a, b) => b.s[key]! - a.s[key]!)
      .slice(0, WEAKEST)
      .map((r) => `${r.id} ${r.lang} ${r.s[key]!.toFixed(key === 'loss' ? 2 : 3)}`);
  const out: string[] = [];
  const far = top('distance');
  if (far.length) out.push(`  farthest from ${pivot}: ${far.join(', ')}`);
  const hard = top('loss');
  if (hard.length) out.push(`  highest loss (nats/token): ${hard.join(', ')}`);
  return out;
}
