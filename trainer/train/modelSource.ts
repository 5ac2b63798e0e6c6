// Where a run's model comes from: a built-in preset (byte-level tokenizer, weights drawn
// from the run's seed), a pretrained Hugging Face folder (`model.path`), or, on resume, its
// newest checkpoint. Everything is read and checked before a run folder is written; the
// weights become variables only once a backend is chosen (train.ts).
import * as path from 'node:path';
import type { RunConfig } from '../../protocol/runConfig';
import { CHECKPOINT_FILES } from '../../protocol/runFolder';
import { checkArrays, type LoadedCheckpoint } from '../model/checkpoint';
import { folderTokenizer, openHfFolder, readHfWeights } from '../model/hfModel';
import { paramShapes } from '../model/model';
import { type ModelConfig, presetConfig } from '../model/modelConfig';
import type { NamedArray } from '../model/safetensors';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';

export interface ModelSource {
  modelConfig: ModelConfig;
  tokenizer: Tokenizer;
  /** Starting weights by Hugging Face name, checked; null: a preset, initialised from the seed. */
  arrays: Map<string, NamedArray> | null;
  /** Reads the weights (a pretrained folder's), when `arrays` is still to be filled. */
  readWeights?: () => Map<string, NamedArray>;
  /** What the log and messages call it: the preset's name or the folder. */
  label: string;
}

/** The model a new run starts from; a folder's weights are left to `readWeights`. */
export function runModel(config: RunConfig): ModelSource {
  if (config.model.path) {
    const folder = openHfFolder(config.model.path);
    return {
      modelConfig: folder.modelConfig,
      tokenizer: folder.tokenizer,
      arrays: null,
      readWeights: () => readHfWeights(folder.dir, folder.modelConfig),
      label: folder.dir,
    };
  }
  const preset = config.model.preset ?? 'tiny';
  return {
    modelConfig: presetConfig(preset, config.model.maxSeqLen),
    tokenizer: BYTE_TOKENIZER,
    arrays: null,
    label: preset,
  };
}

/** The model a resume continues: the checkpoint's config, weights (checked) and tokenizer files. */
export function checkpointModel(ck: LoadedCheckpoint): ModelSource {
  const modelConfig = ck.state.modelConfig;
  checkArrays(paramShapes(modelConfig), ck.model, path.join(ck.dir, CHECKPOINT_FILES.model));
  const config = ck.state.config;
  return {
    modelConfig,
    tokenizer: folderTokenizer(ck.dir),
    arrays: ck.model,
    label: config.model.path ?? config.model.preset ?? 'tiny',
  };
}
