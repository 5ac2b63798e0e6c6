// The training loop, with no magic: pick a backend, build or restore the model and
// optimiser, then for each step make a batch of parallel groups, take the gradient of
// CE + lambda * L_align, clip, update, and write what happened to the run folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelItem } from '../../protocol/dataset';
import { InputError } from '../../protocol/errors';
import type { RunConfig } from '../../protocol/runConfig';
import {
  CHECKPOINT_FILES,
  createRunDir,
  latestCheckpoint,
  prepareNewRunDir,
  RUN_FILES,
  readRunConfig,
  runFile,
} from '../../protocol/runFolder';
import { explainFailure } from '../backend/outOfMemory';
import { type BackendInfo, selectBackend } from '../backend/selectBackend';
import { loadParallelJsonl } from '../data/load';
import { evalSample } from '../eval/evalLoss';
import { type EvalSettings, evaluate } from '../eval/evaluate';
import { checkArrays, type LoadedCheckpoint, loadCheckpoint, writeCheckpoint } from '../model/checkpoint';
import { exportModel } from '../model/exportModel';
import { adapterParams, adapterShapes, checkLora, initAdapters } from '../model/lora';
import { countParams, initParams, type Params, paramGrads, paramShapes, paramsFromArrays } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';
import { round } from '../numeric/round';
import { type BatchOptions, batchIndices, makeBatch } from './batches';
import { checkTrainLayers, trainableNames } from './freeze';
import { perLanguage } from './languageStats';
import { estimateTrainingMemory, formatBytes, largestBatch } from './memoryEstimate';
import { checkpointModel, type ModelSource, runModel } from './modelSource';
import { computeLoss } from './objective';
import { AdamW, learningRate } from './optimizer';
import { ProgressLine } from './progressLine';
import { resolveRun } from './resolveConfig';
import { formatRunSummary } from './runSummary';
import { RunWriter } from './runWriter';

export interface TrainOptions {
  configFile?: string; // a *.solar.json (new run)
  resume?: string; // a run folder to continue from its newest checkpoint
  steps?: number; // override config.steps
  runDir?: string; // exact run folder (new run)
  runsDir?: string; // parent of new run folders (default ./.solar/runs)
  quiet?: boolean;
  /** Set by signal handlers; checked after every step. */
  stop?: StopSignal;
  /** Extra node_modules folders to look for tfjs-node(-gpu) in. */
  modulePaths?: string[];
  /** Called after every completed step (tests and benchmarks hook in here). */
  onStep?: (step: number, loss: number) => void;
}

export interface StopSignal {
  requested: boolean;
  /** Set by train() while a run is open: records the run as stopped before a forced exit (a second Ctrl-C). */
  onForceQuit?: () => void;
}

export interface TrainResult {
  runDir: string;
  state: 'completed' | 'stopped';
  step: number;
  lastLoss: number;
}

interface Setup {
  config: RunConfig;
  train: ParallelItem[];
  eval: ParallelItem[] | null;
  runDir: string;
  /** The checkpoint a resume continues from, read once here (null: a new run, or a restart from step 0). */
  resumeFrom: LoadedCheckpoint | null;
  /** The model, its tokenizer and its starting weights (the checkpoint's on a resume). */
  model: ModelSource;
  /** The folder already holds this run (--resume): its files are continued, not started. */
  continuing: boolean;
}

/** Refuse a config whose training step will not fit, naming the estimate and what to change. */
function checkMemory(config: RunConfig, file: string, items: ParallelItem[], model: ModelSource): void {
  const shape = largestBatch(config, items, model.tokenizer);
  const m = estimateTrainingMemory(config, shape, model.modelConfig, trainableNames(model.modelConfig, config.model));
  if (m.bytes <= m.limitBytes) return;
  throw new InputError(
    { file, field: 'batchSize' },
    `a step that fits in ${m.limitWhat} (${formatBytes(m.limitBytes)}): batchSize ${config.batchSize} gives up to ${shape.rows} rows ` +
      `(one per item and language) of ${shape.tokens} tokens on the ${model.label} model, which needs about ${formatBytes(m.bytes)}; ` +
      'lower batchSize, model.maxSeqLen or the languages per item',
  );
}

/** Validate everything (config, datasets, checkpoint, folder) before any file is written. */
function prepare(o: TrainOptions): Setup {
  if (o.resume) {
    const runDir = path.resolve(o.resume);
    const ckpt = latestCheckpoint(runDir);
    let config: RunConfig;
    let resumeFrom: LoadedCheckpoint | null = null;
    let model: ModelSource;
    if (ckpt) {
      resumeFrom = loadCheckpoint(ckpt);
      if (!resumeFrom.optimizer)
        throw new InputError(
          { file: path.join(ckpt, CHECKPOINT_FILES.optimizer) },
          'optimizer state to resume from (the file is missing)',
        );
      config = resumeFrom.state.config;
      // Every tensor the model and optimizer will need, checked now: a mismatch is bad input, found before anything is written.
      model = checkpointModel(resumeFrom);
      // AdamW holds moments for the trained parameters only (model.freezeEmbeddings, model.trainLayers, model.lora).
      const trained = new Set(trainableNames(model.modelConfig, config.model));
      const shapes = [...paramShapes(model.modelConfig), ...adapterShapes(model.modelConfig)].filter(([name]) =>
        trained.has(name),
      );
      const optFile = path.join(ckpt, CHECKPOINT_FILES.optimizer);
      checkArrays(shapes, resumeFrom.optimizer, optFile, '.exp_avg');
      checkArrays(shapes, resumeFrom.optimizer, optFile, '.exp_avg_sq');
      const at = resumeFrom.state.step;
      if (o.steps !== undefined && o.steps < at) {
        throw new InputError(
          { file: '--steps', field: 'steps' },
          `at least the checkpoint's step ${at} (got ${o.steps}: a run cannot resume into its past)`,
        );
      }
    } else {
      // Killed before its first checkpoint: restart it from step 0 with its own resolved config.
      if (!fs.existsSync(runFile(runDir, 'config'))) {
        throw new InputError(
          { file: runDir },
          `a run folder with a complete checkpoint under ${RUN_FILES.checkpoints}/ (or its ${RUN_FILES.config}) to resume from`,
        );
      }
      config = readRunConfig(runDir);
      model = runModel(config);
      model.arrays = model.readWeights?.() ?? null;
    }
    if (o.steps !== undefined) config.steps = o.steps;
    const train = loadParallelJsonl(config.data.train);
    const evalItems = config.data.eval ? loadParallelJsonl(config.data.eval) : null;
    return { config, train, eval: evalItems, runDir, resumeFrom, model, continuing: true };
  }
  if (!o.configFile) throw new Error('train needs a config file or --resume');
  const r = resolveRun(o.configFile, { steps: o.steps });
  // The model's config and tokenizer first: what a step needs is refused before the weights are read.
  const model = runModel(r.config);
  checkTrainLayers(model.modelConfig, r.config, r.configFile);
  checkLora(model.modelConfig, r.configFile);
  checkMemory(r.config, r.configFile, r.train, model);
  model.arrays = model.readWeights?.() ?? null;
  let runDir: string;
  if (o.runDir) {
    // An explicit folder (the extension creates one and passes it): empty but for the launcher's files.
    runDir = path.resolve(o.runDir);
    prepareNewRunDir(runDir);
  } else {
    // Everything is valid: only now create the folder (unique even for runs started in the same second).
    runDir = createRunDir(path.resolve(o.runsDir ?? path.join(process.cwd(), '.solar', 'runs')), r.config.name!);
  }
  return { config: r.config, train: r.train, eval: r.eval, runDir, resumeFrom: null, model, continuing: false };
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  const s = prepare(o);
  const { config } = s;
  const stop = o.stop ?? { requested: false };
  const progress = new ProgressLine(config.steps, process.stderr, o.quiet);
  const writer = new RunWriter(s.runDir, config, config.steps, s.continuing);
  let params: Params | null = null;
  let opt: AdamW | null = null;
  stop.onForceQuit = () => {
    const at = writer.current.step;
    writer.setState(
      'stopped',
      `interrupted at step ${at} without a checkpoint; resume continues from the last checkpoint`,
    );
    writer.close();
  };
  try {
    const backend: BackendInfo = await selectBackend(config.backend, { extraModulePaths: o.modulePaths });
    writer.update({ backend: backend.backend, device: backend.device });
    writer.log(
      `backend: ${backend.backend} on ${backend.device}${backend.notes.length ? ` (${backend.notes.join('; ')})` : ''}`,
    );
    progress.message(`run ${writer.runId}: backend ${backend.backend} (${backend.device})`);

    const mc: ModelConfig = s.model.modelConfig;
    const tokenizer = s.model.tokenizer;
    params = s.model.arrays ? paramsFromArrays(mc, s.model.arrays) : initParams(mc, config.seed);
    // LoRA adapters sit in the same map as the weights they adapt (the checkpoint's on a resume).
    if (mc.lora)
      for (const [name, v] of adapterParams(mc, s.model.adapters ?? initAdapters(mc, config.seed))) params.set(name, v);
    s.model.arrays = null; // the variables hold them now
    s.model.adapters = null;
    // Frozen parameters (model.freezeEmbeddings, model.trainLayers, the base under LoRA) get no gradient and no moments.
    const trainable = new Set(trainableNames(mc, config.model));
    const trained: Params = new Map([...params].filter(([name]) => trainable.has(name)));
    opt = new AdamW(config.optimizer, trained);
    const trainedCount = [...trained.values()].reduce((n, v) => n + v.size, 0);
    let startStep = 0;
    if (s.resumeFrom) {
      const ck = s.resumeFrom;
      const optFile = path.join(ck.dir, CHECKPOINT_FILES.optimizer);
      opt.loadMoments(ck.optimizer!, optFile);
      startStep = ck.state.step;
      writer.log(`resumed from ${ck.dir} at step ${startStep}`);
    }
    writer.log(
      `model: ${s.model.label}, ${countParams(mc)} parameters (${trainedCount} trained${mc.lora ? `: LoRA rank ${mc.lora.rank} adapters` : ''}), ${tokenizer.kind === 'bytes' ? 'byte-level' : `Hugging Face tokenizer (${tokenizer.vocabSize} tokens)`}; ${s.train.length} training items; languages ${config.languages!.join(', ')}; lambda ${config.objective.lambda}`,
    );
    writer.update({ step: startStep, params: countParams(mc) });
    const resumedMessage = s.continuing
      ? startStep > 0
        ? `resumed from step ${startStep}; later events for steps after it replace earlier ones`
        : 'restarted from step 0 (the run had no checkpoint); later events replace earlier ones'
      : undefined;
    writer.setState('running', resumedMessage);

    const batchOpts: BatchOptions = {
      languages: config.languages!,
      pivot: config.pivot,
      maxSeqLen: config.model.maxSeqLen,
      pool: config.objective.pool,
      tokenizer,
    };
    const evalItems = s.eval ? evalSample(s.eval, config.data.evalSize, config.seed) : null;
    const evalSettings: EvalSettings = {
      languages: config.languages!,
      pivot: config.pivot,
      lowResource: config.lowResource,
      maxSeqLen: config.model.maxSeqLen,
      objective: config.objective,
      evaluation: config.evaluation,
      tokenizer,
      // Items that do not fit the context: said once, in the log and on the terminal.
      warn: (message) => {
        writer.log(message);
        progress.message(message);
      },
    };
    const runEval = (step: number) => {
      if (!evalItems) return;
      progress.message(`evaluating at step ${step} on ${evalItems.length} items…`);
      const { metrics } = evaluate(params!, mc, evalItems, evalSettings);
      writer.event({ kind: 'eval', step, time: new Date().toISOString(), ...metrics });
      writer.log(
        `eval @${step}: accuracy ${JSON.stringify(metrics.accuracy)} mean ${metrics.accuracyMean} low-resource ${metrics.accuracyLowResource ?? '-'}; loss ${JSON.stringify(metrics.loss ?? {})} (${metrics.seconds}s)`,
      );
      if (metrics.accuracyMean !== undefined && metrics.accuracyMean > (writer.current.bestAccuracy ?? -1))
        writer.update({ bestAccuracy: metrics.accuracyMean });
    };
    if (startStep === 0) runEval(0);

    let step = startStep;
    let lastLoss = NaN;
    let lastCheckpointStep = startStep;
    let avgStepSec = 0;
    for (step = startStep + 1; step <= config.steps; step++) {
      const t0 = performance.now();
      const items = batchIndices(s.train.length, config.batchSize, config.seed, step).map((i) => s.train[i]);
      const batch = makeBatch(items, batchOpts);
      const lr = learningRate(config.optimizer, step, config.steps);
      let rows: tf.Tensor[] = [];
      const { value, grads } = paramGrads(trained, () => {
        const parts = computeLoss(params!, mc, batch, config.objective);
        rows = [parts.rowCe, parts.rowTokens, parts.rowAlign].map((t) => tf.keep(t));
        return parts.loss;
      });
      const gradNorm = opt.apply(trained, grads, step, lr);
      lastLoss = value.dataSync()[0];
      const [rowCe, rowTokens, rowAlign] = rows.map((t) => t.dataSync());
      tf.dispose([value, ...grads.values(), ...rows]);
      if (!Number.isFinite(lastLoss))
        throw new Error(`the loss became ${lastLoss} at step ${step}; lower optimizer.lr or check the data`);

      const sec = (performance.now() - t0) / 1000;
      avgStepSec = step === startStep + 1 ? sec : 0.9 * avgStepSec + 0.1 * sec;
      const stats = perLanguage(batch, rowCe, rowTokens, rowAlign, config.pivot);
      const tokensPerSec = batch.tokens / sec;
      const etaSec = avgStepSec * (config.steps - step);
      writer.event({
        kind: 'train',
        step,
        time: new Date().toISOString(),
        loss: round(lastLoss),
        ce: stats.ce,
        align: stats.align,
        lr: round(lr),
        gradNorm: round(gradNorm),
        tokensPerSec: Math.round(tokensPerSec),
        stepMs: Math.round(sec * 1000),
      });
      writer.update({ step, loss: round(lastLoss), etaSec: Math.round(etaSec) });
      progress.step(step, lastLoss, tokensPerSec, etaSec);
      o.onStep?.(step, lastLoss);

      if (config.checkpointEvery > 0 && step % config.checkpointEvery === 0 && step < config.steps) {
        writer.update({ lastCheckpoint: writeCheckpoint(s.runDir, step, params, opt, mc, config, tokenizer) });
        lastCheckpointStep = step;
      }
      if (config.evalEvery > 0 && step % config.evalEvery === 0 && step < config.steps) runEval(step);
      // Let signal handlers run between steps.
      await new Promise((r) => setImmediate(r));
      if (stop.requested) break;
    }
    const finalStep = Math.min(step, config.steps);
    if (lastCheckpointStep !== finalStep)
      writer.update({ lastCheckpoint: writeCheckpoint(s.runDir, finalStep, params, opt, mc, config, tokenizer) });
    const state = stop.requested && finalStep < config.steps ? 'stopped' : 'completed';
    if (state === 'completed') {
      runEval(finalStep);
      // The finished model in its input's layout (adapters merged, the source's dtype, sharded
      // past 2 GB, tokenizer files): the folder other tools load, as `solar export` writes it.
      // A failed export (a full disk) loses nothing: the checkpoint holds the model, and
      // `solar export` can write it later; the run is still complete.
      try {
        const exported = exportModel({ source: s.runDir });
        writer.log(`exported the model (${exported.dtype}, ${exported.files.join(', ')}) to ${exported.out}`);
      } catch (e) {
        writer.log(`warning: the model was not exported (${(e as Error).message}); run: solar export ${s.runDir}`);
        progress.message(`warning: the model was not exported: ${(e as Error).message}`);
      }
    }
    writer.setState(
      state,
      state === 'stopped'
        ? `stopped at step ${finalStep}; resume with: solar train --resume ${s.runDir}`
        : `finished ${finalStep} steps`,
    );
    progress.message(
      `${state} at step ${finalStep}, loss ${lastLoss.toFixed(4)}; run folder ${s.runDir} (mean step ${Math.round(avgStepSec * 1000)} ms)`,
    );
    if (!o.quiet)
      process.stdout.write(
        `\n${formatRunSummary({ runDir: s.runDir, state, step: finalStep, pivot: config.pivot, lowResource: config.lowResource })}\n`,
      );
    return { runDir: s.runDir, state, step: finalStep, lastLoss };
  } catch (e) {
    const raw = (e as Error).message;
    const msg = explainFailure(raw, writer.current.backend, writer.current.step + 1);
    try {
      writer.log(`error: ${(e as Error).stack ?? raw}`);
      writer.setState('failed', msg);
    } catch (recordError) {
      // E.g. a full disk: the first error is the one to report; say why it is not on file.
      process.stderr.write(
        `solar: could not record the failure in the run folder: ${(recordError as Error).message}\n`,
      );
    }
    // Said in the user's terms (trainer.log keeps the original stack); the CLI prints what is thrown.
    throw msg === raw ? e : new Error(msg, { cause: e });
  } finally {
    stop.onForceQuit = undefined;
    writer.close();
    if (params) tf.dispose([...params.values()]);
    opt?.dispose();
  }
}
