// Where a run's model comes from: a built-in preset (byte-level tokenizer, weights drawn
// from the run's seed), a pretrained Hugging Face folder (`model.path`), or, on resume, its
// newest checkpoint. Everything is read and checked before a run folder is written; the
// weights become variables only once a backend is chosen (train.ts). With `model.lora` the
// model config records the adapters (trainer/model/lora.ts); a folder that itself holds
// adapters (a LoRA run's checkpoint) is started from with them merged into its weights.
import * as path from 'node:path';
import type { RunConfig } from '../../protocol/runConfig';
import { CHECKPOINT_FILES } from '../../protocol/runFolder';
import { checkArrays, type LoadedCheckpoint } from '../model/checkpoint';
import { folderTokenizer, openHfFolder, readHfWeights } from '../model/hfModel';
import { mergeAdapters, withLora } from '../model/lora';
import { paramShapes } from '../model/model';
import { type ModelConfig, presetConfig } from '../model/modelConfig';
import { hasAdapters, readAdapterConfig, readAdapterWeights } from '../model/peftFiles';
import type { NamedArray } from '../model/safetensors';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';

export interface ModelSource {
  modelConfig: ModelConfig;
  tokenizer: Tokenizer;
  /** Starting weights by Hugging Face name, checked; null: a preset, initialised from the seed. */
  arrays: Map<string, NamedArray> | null;
  /** The LoRA adapters to continue from (a resume); null: drawn from the seed when the config has LoRA. */
  adapters: Map<string, NamedArray> | null;
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
      modelConfig: withLora(folder.modelConfig, config.model),
      tokenizer: folder.tokenizer,
      arrays: null,
      adapters: null,
      readWeights: () => readModelWeights(folder.dir, folder.modelConfig),
      label: folder.dir,
    };
  }
  const preset = config.model.preset ?? 'tiny';
  return {
    modelConfig: withLora(presetConfig(preset, config.model.maxSeqLen), config.model),
    tokenizer: BYTE_TOKENIZER,
    arrays: null,
    adapters: null,
    label: preset,
  };
}

/** A folder's weights; a LoRA checkpoint's (or export's) adapters are folded into them. */
export function readModelWeights(dir: string, modelConfig: ModelConfig): Map<string, NamedArray> {
  const weights = readHfWeights(dir, modelConfig);
  if (!hasAdapters(dir)) return weights;
  const withAdapters: ModelConfig = { ...modelConfig, lora: readAdapterConfig(dir) };
  return mergeAdapters(withAdapters, weights, readAdapterWeights(dir, withAdapters));
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
    adapters: ck.adapters,
    label: config.model.path ?? config.model.preset ?? 'tiny',
  };
}
