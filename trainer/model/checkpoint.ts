// Checkpoints: checkpoints/step-NNNNNN/ holding model.safetensors (Hugging Face names,
// float32; past 2 GB model-0000N-of-0000M.safetensors + model.safetensors.index.json),
// optimizer.safetensors (AdamW moments), config.json (a Hugging Face Llama or Qwen2 config
// with the token ids), generation_config.json, the tokenizer's files (a pretrained model's;
// none for the byte-level one) and trainer_state.json (step + the resolved run config). A
// pretrained model's checkpoint is so a Hugging Face model folder, which `model.path` can
// start a new run from. A LoRA run's model.safetensors is the base, unchanged; its
// adapters are adapter_model.safetensors + adapter_config.json in PEFT's layout. The folder is written under a temporary name and renamed into
// place, so a crash never leaves half a checkpoint where a loader would look.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { InputError, parseWith } from '../../protocol/errors';
import { RunConfig } from '../../protocol/runConfig';
import { CHECKPOINT_FILES, checkpointName, checkpointTempName, runFile } from '../../protocol/runFolder';
import type { AdamW } from '../train/optimizer';
import { generationConfigJson, hfConfigJson } from './hfConfig';
import { readFolderWeights, writeFolderWeights } from './hfWeights';
import { isAdapter } from './lora';
import type { Params } from './model';
import { ModelConfig } from './modelConfig';
import { readAdapterWeights, writeAdapterFiles } from './peftFiles';
import { encodeSafetensors, type NamedArray, readSafetensors } from './safetensors';
import { BYTE_TOKENIZER, type Tokenizer } from './tokenizer';

/** Checkpoint weights past 2 GB (as Hugging Face counts) are sharded, as `solar export` shards. */
export const CHECKPOINT_SHARD_BYTES = 2e9;

export const TrainerState = z.object({
  step: z.number().int().min(0),
  modelConfig: ModelConfig,
  config: RunConfig,
  savedAt: z.string(),
});
export type TrainerState = z.infer<typeof TrainerState>;

function toArrays(vars: Map<string, tf.Variable>, rename: (n: string) => string = (n) => n): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [name, v] of vars) out.set(rename(name), { shape: v.shape, data: v.dataSync() as Float32Array });
  return out;
}

/** Write checkpoints/step-NNNNNN atomically; returns its path. */
export function writeCheckpoint(
  runDir: string,
  step: number,
  params: Params,
  opt: AdamW,
  modelConfig: ModelConfig,
  config: RunConfig,
  tokenizer: Tokenizer = BYTE_TOKENIZER,
  /** Past this many bytes of weights, model.safetensors becomes shards + an index (as transformers saves). */
  maxShardBytes = CHECKPOINT_SHARD_BYTES,
): string {
  const root = runFile(runDir, 'checkpoints');
  fs.mkdirSync(root, { recursive: true });
  const final = path.join(root, checkpointName(step));
  const tmp = path.join(root, checkpointTempName(step));
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  try {
    // The base weights and the LoRA adapters (if any) go to their own files.
    const base = new Map([...params].filter(([name]) => !isAdapter(name)));
    const adapters = new Map([...params].filter(([name]) => isAdapter(name)));
    // float32 always: a resume continues from exactly the weights it stopped at (export converts).
    writeFolderWeights(tmp, toArrays(base), { dtype: 'F32', maxShardBytes, metadata: { format: 'pt' } });
    writeAdapterFiles(tmp, modelConfig, toArrays(adapters), config.model.path ?? config.model.preset ?? 'tiny');
    const moments = opt.momentArrays();
    fs.writeFileSync(path.join(tmp, CHECKPOINT_FILES.optimizer), encodeSafetensors(moments, { step: String(step) }));
    writeHfFiles(tmp, modelConfig, tokenizer);
    const state: TrainerState = { step, modelConfig, config, savedAt: new Date().toISOString() };
    fs.writeFileSync(path.join(tmp, CHECKPOINT_FILES.trainerState), JSON.stringify(state, null, 2) + '\n');
  } catch (e) {
    // A full disk (ENOSPC) mid-checkpoint: give the space back; the previous checkpoint stays intact.
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  // A checkpoint is never replaced: a step's weights, once saved, are the record of that step.
  if (fs.existsSync(final)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`checkpoint ${final} already exists; refusing to replace it with other weights`);
  }
  fs.renameSync(tmp, final);
  return final;
}

/**
 * What makes a checkpoint a Hugging Face model folder besides the weights: config.json
 * (with the tokenizer's bos/eos/pad ids), generation_config.json (the ids generation stops
 * at) and the tokenizer's own files, copied as they came.
 */
function writeHfFiles(dir: string, c: ModelConfig, tokenizer: Tokenizer): void {
  const ids = {
    bosTokenId: tokenizer.bosId,
    eosTokenId: tokenizer.eosId,
    padTokenId: tokenizer.padId,
    stopIds: tokenizer.stopIds,
  };
  const json = (o: unknown) => JSON.stringify(o, null, 2) + '\n';
  fs.writeFileSync(path.join(dir, CHECKPOINT_FILES.hfConfig), json(hfConfigJson(c, ids)));
  fs.writeFileSync(path.join(dir, CHECKPOINT_FILES.generationConfig), json(generationConfigJson(ids)));
  for (const f of tokenizer.sourceFiles) fs.copyFileSync(f, path.join(dir, path.basename(f)));
}

export interface LoadedCheckpoint {
  dir: string;
  state: TrainerState;
  model: Map<string, NamedArray>;
  /** The LoRA adapters (checked), by the model's names; null when the run trains none. */
  adapters: Map<string, NamedArray> | null;
  optimizer: Map<string, NamedArray> | null;
}

export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const statePath = path.join(dir, CHECKPOINT_FILES.trainerState);
  if (!fs.existsSync(statePath))
    throw new InputError(
      { file: statePath },
      `a checkpoint folder with ${CHECKPOINT_FILES.trainerState} (is this a run folder or checkpoint?)`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(statePath, 'utf8'));
  } catch (e) {
    throw new InputError({ file: statePath }, `valid JSON (${(e as Error).message})`);
  }
  const state = parseWith(TrainerState, raw, statePath);
  const model = readFolderWeights(dir).arrays;
  const optPath = path.join(dir, CHECKPOINT_FILES.optimizer);
  const optimizer = fs.existsSync(optPath) ? readSafetensors(optPath).tensors : null;
  const adapters = state.modelConfig.lora ? readAdapterWeights(dir, state.modelConfig) : null;
  return { dir, state, model, adapters, optimizer };
}

/**
 * Check that `arrays` holds every expected tensor with its shape (no tensors needed), so
 * a resume can refuse a mismatched checkpoint before it writes anything.
 */
export function checkArrays(
  expected: Iterable<readonly [string, readonly number[]]>,
  arrays: Map<string, NamedArray>,
  file: string,
  suffix = '',
): void {
  for (const [name, shape] of expected) {
    const a = arrays.get(name + suffix);
    if (!a) throw new InputError({ file, field: name + suffix }, 'this tensor (missing from the weights)');
    if (a.shape.join('x') !== shape.join('x'))
      throw new InputError({ file, field: name + suffix }, `shape [${shape}] (got [${a.shape}])`);
  }
}

/** Copy arrays into existing variables, checking every name and shape. */
export function assignArrays(
  vars: Map<string, tf.Variable>,
  arrays: Map<string, NamedArray>,
  file: string,
  suffix = '',
): void {
  checkArrays(
    [...vars].map(([name, v]) => [name, v.shape] as const),
    arrays,
    file,
    suffix,
  );
  for (const [name, v] of vars) {
    const a = arrays.get(name + suffix)!;
    v.assign(tf.tensor(a.data, a.shape, 'float32'));
  }
}
