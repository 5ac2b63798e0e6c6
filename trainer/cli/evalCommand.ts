// `solar eval RUN_DIR|CHECKPOINT [--data FILE] [--size N] [--json]`: a full evaluation
// of a trained model, printed as a per-language table and saved under the run folder
// (evals/<data>-step-NNNNNN.json) so the UI and scripts can read it too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_CHOICES, type BackendChoice } from '../../protocol/runConfig';
import { selectBackend } from '../backend/selectBackend';
import { datasetLanguages, loadParallelJsonl } from '../data/load';
import { evaluate, type EvalMetrics } from '../eval/evaluate';
import { evalSample } from '../eval/evalLoss';
import { loadModel } from '../model/loadModel';
import { checkpointName, runFile, writeFileAtomic } from '../../protocol/runFolder';
import { intFlag } from './flags';
import { UsageError } from './usageError';

const pct = (x: number | undefined) => (x === undefined ? '    -' : `${(100 * x).toFixed(1).padStart(5)}%`);
const num = (x: number | undefined) => (x === undefined ? '    -' : x.toFixed(3).padStart(6));

/** A per-language table of one evaluation. */
export function formatEvalTable(m: EvalMetrics, pivot: string, lowResource: string[]): string {
  const langs = Object.keys(m.accuracy ?? {});
  const sim = m.similarity;
  const soft = m.softTokenSimilarity;
  const simTo = (mat: typeof sim, l: string) => (mat ? mat.matrix[mat.languages.indexOf(pivot)]?.[mat.languages.indexOf(l)] : undefined);
  const lines = [`lang   accuracy   loss   sim(${pivot})  soft(${pivot})  consistency`];
  for (const l of langs) {
    const tag = lowResource.includes(l) ? '*' : ' ';
    lines.push(`${(l + tag).padEnd(6)} ${pct(m.accuracy?.[l])}  ${num(m.loss?.[l])}   ${num(simTo(sim, l))}    ${num(simTo(soft, l))}    ${l === pivot ? '     -' : pct(m.consistency?.[l])}`);
  }
  lines.push(`mean   ${pct(m.accuracyMean)}    (* low-resource mean ${pct(m.accuracyLowResource)})`);
  if (m.separability) lines.push(`separability: silhouette ${m.separability.silhouette.toFixed(3)}, language-ID probe ${pct(m.separability.probeAccuracy)} (chance ${pct(m.separability.chance)})`);
  lines.push(`${m.items} items in ${m.seconds}s`);
  return lines.join('\n');
}

export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { data: { type: 'string' }, size: { type: 'string' }, json: { type: 'boolean' }, backend: { type: 'string' }, 'per-layer': { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('eval needs exactly one run folder or checkpoint folder');
  const size = intFlag(values.size, '--size', 1);
  const backend = (values.backend ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(backend)) throw new UsageError(`--backend expects one of ${BACKEND_CHOICES.join(', ')}`);
  const info = await selectBackend(backend);
  const model = loadModel(positionals[0]);
  const config = model.state.config;
  const dataFile = values.data ?? config.data.eval;
  if (!dataFile) throw new UsageError('this run has no eval set in its config: pass --data FILE');
  let items = loadParallelJsonl(dataFile);
  if (size !== undefined) items = evalSample(items, size, config.seed);
  const present = datasetLanguages(items, config.pivot);
  const languages = (config.languages ?? present).filter((l) => present.includes(l));
  process.stderr.write(`evaluating ${model.checkpointDir} on ${items.length} items of ${dataFile} (${info.backend})…\n`);
  const { metrics, outputs } = evaluate(model.params, model.modelConfig, items, {
    languages, pivot: config.pivot, lowResource: config.lowResource, maxSeqLen: config.model.maxSeqLen, batchSize: config.batchSize,
    objective: config.objective, evaluation: { ...config.evaluation, perLayerSimilarity: values['per-layer'] ?? config.evaluation.perLayerSimilarity },
  });
  const record = {
    kind: 'eval', step: model.state.step, time: new Date().toISOString(), ...metrics,
    data: path.resolve(dataFile), checkpoint: model.checkpointDir,
    outputs: Object.fromEntries([...outputs].map(([l, o]) => [l, o.map((text, i) => (text === undefined ? null : { id: items[i].id, text }))])),
  };
  const outDir = runFile(model.runDir, 'evals');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `${path.basename(dataFile).replace(/\.parallel\.jsonl$|\.jsonl$/, '')}-${checkpointName(model.state.step)}.json`);
  writeFileAtomic(outFile, JSON.stringify(record, null, 2) + '\n');
  if (values.json) process.stdout.write(JSON.stringify(record) + '\n');
  else process.stdout.write(formatEvalTable(metrics, config.pivot, config.lowResource) + `\nsaved ${outFile}\n`);
  tf.dispose([...model.params.values()]);
  return 0;
}
