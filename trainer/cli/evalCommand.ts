// `solar eval RUN_DIR|CHECKPOINT [--data FILE] [--size N] [--languages a,b] [--json]`: a
// full evaluation of a trained model, printed as a per-language table and saved under the
// run folder (evals/<data>-step-NNNNNN.json) so the UI and scripts can read it too.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import type { EvalOutput, EvalReport } from '../../protocol/evalReport';
import { BACKEND_CHOICES, type BackendChoice } from '../../protocol/runConfig';
import { checkpointName, runFile, writeFileAtomic } from '../../protocol/runFolder';
import { selectBackend } from '../backend/selectBackend';
import { datasetLanguages, loadParallelJsonl } from '../data/load';
import { evalSample } from '../eval/evalLoss';
import { evaluate } from '../eval/evaluate';
import { loadModel } from '../model/loadModel';
import { chooseLanguages, parseLanguagesFlag } from './evalLanguages';
import { formatEvalTable } from './evalTable';
import { intFlag } from './flags';
import { UsageError } from './usageError';

export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      size: { type: 'string' },
      languages: { type: 'string' },
      json: { type: 'boolean' },
      backend: { type: 'string' },
      'per-layer': { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('eval needs exactly one run folder or checkpoint folder');
  const size = intFlag(values.size, '--size', 1);
  const asked = parseLanguagesFlag(values.languages);
  const backend = (values.backend ?? 'auto') as BackendChoice;
  if (!BACKEND_CHOICES.includes(backend))
    throw new UsageError(`--backend expects one of ${BACKEND_CHOICES.join(', ')}`);
  const info = await selectBackend(backend);
  const model = loadModel(positionals[0]);
  const config = model.state.config;
  const dataFile = values.data ?? config.data.eval;
  if (!dataFile) throw new UsageError('this run has no eval set in its config: pass --data FILE');
  let items = loadParallelJsonl(dataFile);
  if (size !== undefined) items = evalSample(items, size, config.seed);
  const { languages, notEvaluated } = chooseLanguages(datasetLanguages(items, config.pivot), asked, dataFile);
  process.stderr.write(
    `evaluating ${model.checkpointDir} on ${items.length} items of ${dataFile} in ${languages.join(', ')} (${info.backend})…\n`,
  );
  const { metrics, outputs, skips, answers, correct } = evaluate(model.params, model.modelConfig, items, {
    languages,
    pivot: config.pivot,
    lowResource: config.lowResource,
    maxSeqLen: config.model.maxSeqLen,
    objective: config.objective,
    tokenizer: model.tokenizer,
    evaluation: {
      ...config.evaluation,
      perLayerSimilarity: values['per-layer'] ?? config.evaluation.perLayerSimilarity,
    },
  });
  // Per language and item: the prompt, generation, extracted answer and whether it is right;
  // why the item was skipped; or null where it lacks the language (protocol/evalReport.ts).
  const output = (l: string, text: string | undefined, i: number): EvalOutput | null => {
    const id = items[i].id;
    const skipped = skips.get(l)![i];
    if (text === undefined) return skipped ? { id, skipped } : null;
    const answer = answers.get(l)![i] ?? null;
    return { id, prompt: items[i].langs[l].prompt, text, answer, correct: correct.get(l)![i] ?? false };
  };
  const record: EvalReport = {
    kind: 'eval',
    step: model.state.step,
    time: new Date().toISOString(),
    ...metrics,
    data: path.resolve(dataFile),
    checkpoint: model.checkpointDir,
    notEvaluated,
    gold: items.map((it) => it.answer),
    outputs: Object.fromEntries([...outputs].map(([l, o]) => [l, o.map((text, i) => output(l, text, i))])),
  };
  const outDir = runFile(model.runDir, 'evals');
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(
    outDir,
    `${path.basename(dataFile).replace(/\.parallel\.jsonl$|\.jsonl$/, '')}-${checkpointName(model.state.step)}.json`,
  );
  writeFileAtomic(outFile, JSON.stringify(record, null, 2) + '\n');
  if (values.json) {
    process.stdout.write(JSON.stringify(record) + '\n');
    const left = Object.entries(notEvaluated).map(([l, why]) => `${l} (${why})`);
    if (left.length) process.stderr.write(`not evaluated: ${left.join(', ')}\n`);
  } else {
    const table = formatEvalTable(metrics, {
      pivot: config.pivot,
      lowResource: config.lowResource,
      maxSeqLen: config.model.maxSeqLen,
      trained: config.languages,
      notEvaluated,
    });
    process.stdout.write(`${table}\nsaved ${outFile}\n`);
  }
  tf.dispose([...model.params.values()]);
  return 0;
}
