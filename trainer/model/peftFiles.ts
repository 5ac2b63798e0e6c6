// LoRA adapters on disk, in PEFT's layout so `PeftModel.from_pretrained(base, folder)`
// loads them: adapter_model.safetensors (float32, tensors named as the model's with the
// prefix `base_model.model.`: `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`)
// and adapter_config.json (peft_type LORA, r, lora_alpha, target_modules,
// layers_to_transform). Checkpoints and exports carry both; a model folder holding them
// (a LoRA run's checkpoint as another run's model.path) is read with its adapters merged.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { InputError, parseWith } from '../../protocol/errors';
import { LORA_TARGETS } from '../../protocol/runConfig';
import { CHECKPOINT_FILES } from '../../protocol/runFolder';
import { adapterShapes } from './lora';
import type { LoraSettings, ModelConfig } from './modelConfig';
import { readJsonFile } from './readJson';
import { encodeSafetensors, type NamedArray, readSafetensors } from './safetensors';

/** The adapter files' names (one definition: protocol/runFolder's CHECKPOINT_FILES). */
export const ADAPTER_FILES = {
  weights: CHECKPOINT_FILES.adapterWeights,
  config: CHECKPOINT_FILES.adapterConfig,
} as const;

/** What PEFT puts before a model's own tensor names (PeftModel -> LoraModel -> the model). */
export const PEFT_PREFIX = 'base_model.model.';

/** adapter_config.json as PEFT writes it for a LoRA on a causal language model. */
export function adapterConfigJson(lora: LoraSettings, baseModel: string): Record<string, unknown> {
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    r: lora.rank,
    lora_alpha: lora.alpha,
    lora_dropout: 0,
    target_modules: [...lora.targets],
    layers_to_transform: lora.layers ? [...lora.layers] : null,
    layers_pattern: null,
    bias: 'none',
    fan_in_fan_out: false,
    init_lora_weights: true,
    inference_mode: true,
    modules_to_save: null,
    use_rslora: false,
    use_dora: false,
  };
}

/** Write both adapter files into `dir` (the adapters only, by the model's names). */
export function writeAdapterFiles(
  dir: string,
  c: ModelConfig,
  adapters: Map<string, NamedArray>,
  baseModel: string,
): void {
  if (!c.lora) return;
  const prefixed = new Map([...adapters].map(([name, a]) => [PEFT_PREFIX + name, a] as const));
  fs.writeFileSync(path.join(dir, ADAPTER_FILES.weights), encodeSafetensors(prefixed, { format: 'pt' }));
  fs.writeFileSync(
    path.join(dir, ADAPTER_FILES.config),
    JSON.stringify(adapterConfigJson(c.lora, baseModel), null, 2) + '\n',
  );
}

/** The part of adapter_config.json we read; anything PEFT can set that changes the maths is refused. */
const AdapterConfig = z.looseObject({
  peft_type: z.literal('LORA'),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  target_modules: z.array(z.enum(LORA_TARGETS)).min(1),
  layers_to_transform: z.union([z.array(z.number().int().min(0)), z.number().int().min(0), z.null()]).optional(),
  fan_in_fan_out: z.literal(false).optional(),
  use_rslora: z.literal(false).optional(),
  use_dora: z.literal(false).optional(),
  bias: z.literal('none').optional(),
});

/** The settings an adapter_config.json describes, checked (InputError naming the file and field). */
export function readAdapterConfig(dir: string): LoraSettings {
  const file = path.join(dir, ADAPTER_FILES.config);
  const raw = parseWith(AdapterConfig, readJsonFile(file, 'a PEFT adapter_config.json'), file);
  const order = LORA_TARGETS.filter((t) => raw.target_modules.includes(t));
  const layers = raw.layers_to_transform ?? undefined;
  return {
    rank: raw.r,
    alpha: raw.lora_alpha,
    targets: order,
    ...(layers !== undefined
      ? { layers: typeof layers === 'number' ? [layers] : [...layers].sort((a, b) => a - b) }
      : {}),
  };
}

/**
 * The adapters `c.lora` calls for, read from `dir`'s adapter_model.safetensors: every
 * tensor present with its shape, by the model's names (PEFT's prefix taken off).
 */
export function readAdapterWeights(dir: string, c: ModelConfig): Map<string, NamedArray> {
  const file = path.join(dir, ADAPTER_FILES.weights);
  if (!fs.existsSync(file))
    throw new InputError({ file }, `the LoRA adapters of this checkpoint (rank ${c.lora?.rank}; the file is missing)`);
  const tensors = readSafetensors(file).tensors;
  const out = new Map<string, NamedArray>();
  for (const [name, shape] of adapterShapes(c)) {
    const a = tensors.get(PEFT_PREFIX + name);
    if (!a) throw new InputError({ file, field: PEFT_PREFIX + name }, 'this adapter (missing from the file)');
    if (a.shape.join('x') !== shape.join('x'))
      throw new InputError({ file, field: PEFT_PREFIX + name }, `shape [${shape}] (got [${a.shape}])`);
    out.set(name, a);
  }
  return out;
}

/** Whether a folder holds PEFT adapters (a LoRA run's checkpoint or export). */
export function hasAdapters(dir: string): boolean {
  return fs.existsSync(path.join(dir, ADAPTER_FILES.config));
}
