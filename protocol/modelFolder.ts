// Is this folder a Hugging Face model the trainer can fine-tune? The layout check both
// sides share, without tfjs: config.json names a supported architecture, the weights are
// there (model.safetensors, or model.safetensors.index.json and every shard it names) and
// so is tokenizer.json. New Run Config… runs it as the user picks a folder, and the run
// views read the tokenizer's type with it. The trainer's loader (trainer/model/) checks
// the contents in depth (shapes, dtypes, config fields); this only answers "is it all here".
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * config.json's `architectures` the trainer implements, each with its family (its
 * `model_type`, which trainer/model/hfConfig.ts reads the config as). The one list.
 */
export const ARCHITECTURE_FAMILIES = { LlamaForCausalLM: 'llama', Qwen2ForCausalLM: 'qwen2' } as const;
export type ModelFamily = (typeof ARCHITECTURE_FAMILIES)[keyof typeof ARCHITECTURE_FAMILIES];
export const SUPPORTED_ARCHITECTURES = Object.keys(ARCHITECTURE_FAMILIES);

export const MODEL_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  index: 'model.safetensors.index.json',
  tokenizer: 'tokenizer.json',
} as const;

export interface ModelFolderInfo {
  dir: string;
  /** The folder's name, as runs show it. */
  name: string;
  architecture: string;
  /** The weight files, relative to the folder. */
  weights: string[];
  /** tokenizer.json's model type ("BPE", "Unigram", …). */
  tokenizer: string;
  vocabSize?: number;
}

export type ModelFolderCheck = { ok: true; info: ModelFolderInfo } | { ok: false; problem: string };

type Raw = Record<string, unknown>;

function readJson(file: string): { value?: unknown; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { problem: `${path.basename(file)} does not parse: ${(e as Error).message}` };
  }
}

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The supported architecture a config.json names, with its family; when it names none,
 * its `model_type` (as transformers falls back to it). Undefined: not one the trainer runs.
 */
export function supportedArchitecture(raw: Raw): { name: string; family: ModelFamily } | undefined {
  const names = Array.isArray(raw.architectures) ? raw.architectures : [];
  for (const n of names)
    if (typeof n === 'string' && Object.hasOwn(ARCHITECTURE_FAMILIES, n))
      return { name: n, family: ARCHITECTURE_FAMILIES[n as keyof typeof ARCHITECTURE_FAMILIES] };
  const family = Object.values(ARCHITECTURE_FAMILIES).find((f) => f === raw.model_type);
  return !names.length && family ? { name: family, family } : undefined;
}

/** The weight files present, or why they are not all there. */
function weightFiles(dir: string): { files?: string[]; problem?: string } {
  if (fs.existsSync(path.join(dir, MODEL_FILES.weights))) return { files: [MODEL_FILES.weights] };
  const index = readJson(path.join(dir, MODEL_FILES.index));
  if (index.problem) return { problem: index.problem };
  if (index.value === undefined)
    return { problem: `no ${MODEL_FILES.weights} (nor ${MODEL_FILES.index} with its shards): the weights are missing` };
  const map = isObject(index.value) ? index.value.weight_map : undefined;
  if (!isObject(map) || !Object.keys(map).length)
    return { problem: `${MODEL_FILES.index}: field "weight_map" must map tensor names to shard files` };
  const shards = [...new Set(Object.values(map))];
  for (const shard of shards) {
    if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\'))
      return { problem: `${MODEL_FILES.index}: field "weight_map" names ${JSON.stringify(shard)}, not a shard file` };
    if (!fs.existsSync(path.join(dir, shard)))
      return { problem: `${MODEL_FILES.index} names the shard ${shard}, which is missing` };
  }
  return { files: (shards as string[]).sort() };
}

/** The type and vocabulary size of a parsed tokenizer.json; a problem when it is no tokenizer. */
function tokenizerOf(raw: unknown): { type?: string; vocabSize?: number } {
  const model = isObject(raw) ? raw.model : undefined;
  if (!isObject(model) || typeof model.type !== 'string') return {};
  const vocab = model.vocab;
  const size = Array.isArray(vocab) ? vocab.length : isObject(vocab) ? Object.keys(vocab).length : undefined;
  return { type: model.type, ...(size ? { vocabSize: size } : {}) };
}

/** Check a model folder; `problem` names the missing file or field in one sentence. */
export function checkModelFolder(dir: string): ModelFolderCheck {
  const fail = (problem: string): ModelFolderCheck => ({ ok: false, problem });
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return fail(`${dir} is not a folder`);
  const config = readJson(path.join(dir, MODEL_FILES.config));
  if (config.problem) return fail(config.problem);
  if (config.value === undefined) return fail(`no ${MODEL_FILES.config}: not a Hugging Face model folder`);
  if (!isObject(config.value)) return fail(`${MODEL_FILES.config} is not a JSON object`);
  const architecture = supportedArchitecture(config.value)?.name;
  if (!architecture)
    return fail(
      `${MODEL_FILES.config}: field "architectures" must name ${SUPPORTED_ARCHITECTURES.join(' or ')} (got ${JSON.stringify(config.value.architectures ?? config.value.model_type ?? null)})`,
    );
  const weights = weightFiles(dir);
  if (!weights.files) return fail(weights.problem!);
  const tok = readJson(path.join(dir, MODEL_FILES.tokenizer));
  if (tok.problem) return fail(tok.problem);
  if (tok.value === undefined) return fail(`no ${MODEL_FILES.tokenizer}: the model's tokenizer is missing`);
  const { type, vocabSize } = tokenizerOf(tok.value);
  if (!type) return fail(`${MODEL_FILES.tokenizer}: field "model.type" is missing: not a Hugging Face tokenizer`);
  return {
    ok: true,
    info: {
      dir,
      name: path.basename(path.resolve(dir)),
      architecture,
      weights: weights.files,
      tokenizer: type,
      ...(vocabSize ? { vocabSize } : {}),
    },
  };
}

// tokenizer.json runs to megabytes and run views refresh often: parse it once per version.
const typeCache = new Map<string, { stamp: string; type: string | undefined }>();

/** tokenizer.json's model type ("BPE") in a model folder; undefined when unreadable. */
export function tokenizerType(dir: string): string | undefined {
  const file = path.join(dir, MODEL_FILES.tokenizer);
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (!st) return undefined;
  const stamp = `${st.mtimeMs}:${st.size}`;
  const cached = typeCache.get(file);
  if (cached?.stamp === stamp) return cached.type;
  const type = tokenizerOf(readJson(file).value).type;
  typeCache.set(file, { stamp, type });
  return type;
}
