// Checkpoints: checkpoints/step-NNNNNN/ holding model.safetensors (Hugging Face names),
// optimizer.safetensors (AdamW moments), config.json (a Hugging Face LlamaConfig) and
// trainer_state.json (step + the resolved run config). The folder is written under a
// temporary name and renamed into place, so a crash never leaves half a checkpoint
// where a loader would look.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { RunConfig } from '../../protocol/runConfig';
import { InputError, parseWith } from '../../protocol/errors';
import { encodeSafetensors, readSafetensors, type NamedArray } from './safetensors';
import type { ModelConfig, Params } from './model';
import type { AdamW } from '../train/optimizer';

export const TrainerState = z.object({
  step: z.number().int().min(0),
  modelConfig: z.object({
    vocabSize: z.number().int(), dim: z.number().int(), nLayers: z.number().int(), nHeads: z.number().int(),
    hiddenDim: z.number().int(), maxSeqLen: z.number().int(), ropeTheta: z.number(), normEps: z.number(),
  }),
  config: RunConfig,
  savedAt: z.string(),
});
export type TrainerState = z.infer<typeof TrainerState>;

export function checkpointName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

function toArrays(vars: Map<string, tf.Variable>, rename: (n: string) => string = (n) => n): Map<string, NamedArray> {
  const out = new Map<string, NamedArray>();
  for (const [name, v] of vars) out.set(rename(name), { shape: v.shape, data: v.dataSync() as Float32Array });
  return out;
}

function hfConfig(c: ModelConfig) {
  return {
    architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: c.dim, intermediate_size: c.hiddenDim,
    num_hidden_layers: c.nLayers, num_attention_heads: c.nHeads, num_key_value_heads: c.nHeads,
    vocab_size: c.vocabSize, max_position_embeddings: c.maxSeqLen, rms_norm_eps: c.normEps, rope_theta: c.ropeTheta,
    tie_word_embeddings: true, hidden_act: 'silu', torch_dtype: 'float32',
  };
}

/** Write checkpoints/step-NNNNNN atomically; returns its path. */
export function writeCheckpoint(runDir: string, step: number, params: Params, opt: AdamW, modelConfig: ModelConfig, config: RunConfig): string {
  const root = path.join(runDir, 'checkpoints');
  fs.mkdirSync(root, { recursive: true });
  const final = path.join(root, checkpointName(step));
  const tmp = path.join(root, `.${checkpointName(step)}.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(tmp, 'model.safetensors'), encodeSafetensors(toArrays(params), { format: 'pt' }));
  const moments = new Map([...toArrays(opt.m, (n) => n + '.exp_avg'), ...toArrays(opt.v, (n) => n + '.exp_avg_sq')]);
  fs.writeFileSync(path.join(tmp, 'optimizer.safetensors'), encodeSafetensors(moments, { step: String(step) }));
  fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(hfConfig(modelConfig), null, 2) + '\n');
  const state: TrainerState = { step, modelConfig, config, savedAt: new Date().toISOString() };
  fs.writeFileSync(path.join(tmp, 'trainer_state.json'), JSON.stringify(state, null, 2) + '\n');
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(tmp, final);
  return final;
}

export interface LoadedCheckpoint {
  dir: string;
  state: TrainerState;
  model: Map<string, NamedArray>;
  optimizer: Map<string, NamedArray> | null;
}

export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const statePath = path.join(dir, 'trainer_state.json');
  if (!fs.existsSync(statePath)) throw new InputError({ file: statePath }, 'a checkpoint folder with trainer_state.json (is this a run folder or checkpoint?)');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(statePath, 'utf8'));
  } catch (e) {
    throw new InputError({ file: statePath }, `valid JSON (${(e as Error).message})`);
  }
  const state = parseWith(TrainerState, raw, statePath);
  const model = readSafetensors(path.join(dir, 'model.safetensors')).tensors;
  const optPath = path.join(dir, 'optimizer.safetensors');
  const optimizer = fs.existsSync(optPath) ? readSafetensors(optPath).tensors : null;
  return { dir, state, model, optimizer };
}

/** The newest complete checkpoint of a run folder, or null. Temp folders are ignored. */
export function latestCheckpoint(runDir: string): string | null {
  const root = path.join(runDir, 'checkpoints');
  if (!fs.existsSync(root)) return null;
  const steps = fs.readdirSync(root).filter((n) => /^step-\d+$/.test(n) && fs.existsSync(path.join(root, n, 'trainer_state.json'))).sort();
  return steps.length ? path.join(root, steps[steps.length - 1]) : null;
}

/** Copy arrays into existing variables, checking every name and shape. */
export function assignArrays(vars: Map<string, tf.Variable>, arrays: Map<string, NamedArray>, file: string, suffix = ''): void {
  for (const [name, v] of vars) {
    const a = arrays.get(name + suffix);
    if (!a) throw new InputError({ file, field: name + suffix }, 'this tensor (missing from the checkpoint)');
    if (a.shape.join('x') !== v.shape.join('x')) throw new InputError({ file, field: name + suffix }, `shape [${v.shape}] (got [${a.shape}])`);
    v.assign(tf.tensor(a.data, a.shape, 'float32'));
  }
}
