// A pretrained model from a local Hugging Face folder: config.json, the safetensors weights
// (single or sharded) and the tokenizer files. Everything is read and checked here, before a
// backend is chosen or a run folder written, so a bad folder is one InputError (exit 2) that
// names the file and the field or tensor. The tensors become variables later
// (paramsFromArrays, trainer/model/model.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../protocol/errors';
import { checkArrays } from './checkpoint';
import { modelConfigFromHf } from './hfConfig';
import { HfTokenizer, type TokenIdHints } from './hfTokenizer';
import { readFolderWeights } from './hfWeights';
import { paramShapes } from './model';
import type { ModelConfig } from './modelConfig';
import { readJsonObject } from './readJson';
import type { NamedArray } from './safetensors';
import { BYTE_TOKENIZER, type Tokenizer } from './tokenizer';

export interface HfFolder extends OpenHfFolder {
  /** Every parameter the model needs, as float32, by Hugging Face name. */
  arrays: Map<string, NamedArray>;
}

/** eos_token_id may be one id or a list (Llama 3.1 stops at several). */
function ids(v: unknown): number[] {
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is number => Number.isInteger(x));
}

/** What config.json and generation_config.json say about stop and pad tokens. */
function tokenHints(dir: string, config: Record<string, unknown>): TokenIdHints {
  const genFile = path.join(dir, 'generation_config.json');
  const gen = fs.existsSync(genFile) ? readJsonObject(genFile, 'generation_config.json') : {};
  const pad = [gen.pad_token_id, config.pad_token_id].find((x) => Number.isInteger(x)) as number | undefined;
  return {
    eosTokenIds: [...new Set([...ids(config.eos_token_id), ...ids(gen.eos_token_id)])],
    ...(pad !== undefined ? { padTokenId: pad } : {}),
  };
}

/**
 * The tokenizer a folder holds (a model folder, or one of our checkpoints): a Hugging Face
 * one when there is a tokenizer.json, else the built-in byte-level tokenizer.
 */
export function folderTokenizer(dir: string): Tokenizer {
  if (!fs.existsSync(path.join(dir, 'tokenizer.json'))) return BYTE_TOKENIZER;
  const configFile = path.join(dir, 'config.json');
  const raw = fs.existsSync(configFile) ? readJsonObject(configFile, 'a Hugging Face config.json') : {};
  return new HfTokenizer(dir, tokenHints(dir, raw));
}

/** The config alone (cheap): architecture and sizes, for the memory estimate and the log. */
export function readHfModelConfig(dir: string): ModelConfig {
  const file = path.join(dir, 'config.json');
  return modelConfigFromHf(readJsonObject(file, 'a Hugging Face config.json'), file);
}

/** A model folder whose config and tokenizer are read and checked; its weights not yet. */
export interface OpenHfFolder {
  dir: string;
  modelConfig: ModelConfig;
  tokenizer: HfTokenizer;
}

/**
 * Read and check a folder's config.json and tokenizer (cheap next to the weights), so what
 * a run needs can be estimated before the weights are read.
 */
export function openHfFolder(target: string): OpenHfFolder {
  const dir = path.resolve(target);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new InputError({ file: dir }, 'a model folder (config.json, model.safetensors, tokenizer.json)');
  const configFile = path.join(dir, 'config.json');
  const raw = readJsonObject(configFile, 'a Hugging Face config.json');
  const modelConfig = modelConfigFromHf(raw, configFile);
  const tokenizer = new HfTokenizer(dir, tokenHints(dir, raw));
  if (tokenizer.vocabSize > modelConfig.vocabSize)
    throw new InputError(
      { file: configFile, field: 'vocab_size' },
      `at least the tokenizer's ${tokenizer.vocabSize} tokens (got ${modelConfig.vocabSize})`,
    );
  return { dir, modelConfig, tokenizer };
}

/** Every parameter the config calls for, read from the folder's safetensors and checked (names, shapes). */
export function readHfWeights(dir: string, modelConfig: ModelConfig): Map<string, NamedArray> {
  const shapes = paramShapes(modelConfig);
  const weights = readFolderWeights(dir, new Set(shapes.map(([name]) => name)));
  for (const [name, shape] of shapes) checkArrays([[name, shape]], weights.arrays, weights.fileOf(name));
  return weights.arrays;
}

/** Read and check a whole model folder. */
export function readHfFolder(target: string): HfFolder {
  const open = openHfFolder(target);
  return { ...open, arrays: readHfWeights(open.dir, open.modelConfig) };
}
