// Load a trained model from a run folder (its newest checkpoint) or a checkpoint folder. A
// LoRA run's adapters are merged into the weights (W + alpha/r * B A), so evaluation,
// scoring and generation see a plain model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../protocol/errors';
import { CHECKPOINT_FILES, latestCheckpoint } from '../../protocol/runFolder';
import { checkArrays, loadCheckpoint, type TrainerState } from './checkpoint';
import { folderTokenizer } from './hfModel';
import { mergeAdapters } from './lora';
import { type Params, paramShapes, paramsFromArrays } from './model';
import type { ModelConfig } from './modelConfig';
import type { Tokenizer } from './tokenizer';

export interface LoadedModel {
  params: Params;
  modelConfig: ModelConfig;
  /** The checkpoint's own tokenizer files, or the byte-level tokenizer of the built-in model. */
  tokenizer: Tokenizer;
  state: TrainerState;
  checkpointDir: string;
  /** The run folder the checkpoint belongs to. */
  runDir: string;
}

/** Resolve a run folder or checkpoint folder to a complete checkpoint folder. */
export function resolveCheckpoint(target: string): { checkpointDir: string; runDir: string } {
  const abs = path.resolve(target);
  if (fs.existsSync(path.join(abs, CHECKPOINT_FILES.trainerState)))
    return { checkpointDir: abs, runDir: path.dirname(path.dirname(abs)) };
  const latest = latestCheckpoint(abs);
  if (!latest)
    throw new InputError(
      { file: abs },
      `a run folder with a checkpoint, or a checkpoint folder (with ${CHECKPOINT_FILES.trainerState})`,
    );
  return { checkpointDir: latest, runDir: abs };
}

/** Build the model and fill it with the checkpoint's weights (a backend must be selected first). */
export function loadModel(target: string): LoadedModel {
  const { checkpointDir, runDir } = resolveCheckpoint(target);
  const ck = loadCheckpoint(checkpointDir);
  const modelConfig = ck.state.modelConfig;
  checkArrays(paramShapes(modelConfig), ck.model, path.join(checkpointDir, CHECKPOINT_FILES.model));
  const tokenizer = folderTokenizer(checkpointDir);
  return {
    params: paramsFromArrays(modelConfig, ck.adapters ? mergeAdapters(modelConfig, ck.model, ck.adapters) : ck.model),
    modelConfig,
    tokenizer,
    state: ck.state,
    checkpointDir,
    runDir,
  };
}
