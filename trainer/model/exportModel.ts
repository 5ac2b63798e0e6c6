// `solar export`: a checkpoint written as a Hugging Face model folder for other tools:
// config.json (torch_dtype and the token ids), model.safetensors in the chosen dtype or,
// past the shard size, model-0000N-of-0000M.safetensors + model.safetensors.index.json,
// generation_config.json, and the tokenizer files (copied; generated for the built-in
// byte-level tokenizer, trainer/model/exportTokenizer.ts). A LoRA run exports its adapters
// merged into the weights, so any tool loads a plain model, and the PEFT adapter files as
// they are in adapter/, for PeftModel.from_pretrained on the base. (Not beside the weights:
// transformers would take the folder for an adapter and load the base named inside.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../protocol/errors';
import { CHECKPOINT_FILES, runFile } from '../../protocol/runFolder';
import { checkArrays, loadCheckpoint } from './checkpoint';
import { ADAPTER_DIR, EXPORT_MARK, writeFolderAtomic } from './exportFolder';
import { byteTokenizerConfigJson, byteTokenizerJson } from './exportTokenizer';
import { generationConfigJson, hfConfigJson } from './hfConfig';
import { folderTokenizer } from './hfModel';
import { type WeightsWritten, writeFolderWeights } from './hfWeights';
import { resolveCheckpoint } from './loadModel';
import { mergeAdapters } from './lora';
import { paramShapes } from './model';
import { ADAPTER_FILES } from './peftFiles';

export const EXPORT_DTYPES = { float32: 'F32', float16: 'F16', bfloat16: 'BF16' } as const;
export type ExportDtype = keyof typeof EXPORT_DTYPES;

export interface ExportOptions {
  /** A run folder (its newest checkpoint) or a checkpoint folder. */
  source: string;
  /** Default: <run>/export. */
  out?: string;
  /** Default: the pretrained source model's dtype, else float32. */
  dtype?: ExportDtype;
  /** Bytes per shard before a new one starts; default 2 GB (2e9, as Hugging Face counts). */
  maxShardBytes?: number;
}

export interface ExportResult {
  out: string;
  dtype: ExportDtype;
  /** Weight files written, in order. */
  files: string[];
  bytes: number;
}

/** "2GB", "500MB", "1.5GiB", "1000" (bytes): Hugging Face's max_shard_size units (KB = 1e3, KiB = 1024). */
export function parseShardSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'B').toUpperCase();
  const scale: Record<string, number> = {
    B: 1,
    KB: 1e3,
    MB: 1e6,
    GB: 1e9,
    TB: 1e12,
    KIB: 2 ** 10,
    MIB: 2 ** 20,
    GIB: 2 ** 30,
    TIB: 2 ** 40,
  };
  const n = Math.floor(Number(m[1]) * scale[unit]);
  return n >= 1 ? n : undefined;
}

/** The dtype the run's pretrained model came in (its config.json), or float32. */
function sourceDtype(modelPath: string | undefined): ExportDtype {
  if (!modelPath) return 'float32';
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(modelPath, 'config.json'), 'utf8')) as Record<string, unknown>;
    const d = raw.torch_dtype ?? raw.dtype; // transformers 5 renamed it
    return typeof d === 'string' && Object.hasOwn(EXPORT_DTYPES, d) ? (d as ExportDtype) : 'float32';
  } catch {
    return 'float32'; // the source folder moved or went: the checkpoint's own float32
  }
}

export function exportModel(opts: ExportOptions): ExportResult {
  const { checkpointDir, runDir } = resolveCheckpoint(opts.source);
  const ck = loadCheckpoint(checkpointDir);
  const modelConfig = ck.state.modelConfig;
  const modelFile = path.join(checkpointDir, CHECKPOINT_FILES.model);
  const shapes = paramShapes(modelConfig);
  checkArrays(shapes, ck.model, modelFile);
  const base = new Map(shapes.map(([name]) => [name, ck.model.get(name)!] as const));
  const arrays = ck.adapters ? mergeAdapters(modelConfig, base, ck.adapters) : base;
  const tokenizer = folderTokenizer(checkpointDir);
  const dtype = opts.dtype ?? sourceDtype(ck.state.config.model.path);
  const st = EXPORT_DTYPES[dtype];
  const out = path.resolve(opts.out ?? runFile(runDir, 'export'));
  if (out === checkpointDir || checkpointDir.startsWith(out + path.sep))
    throw new InputError({ file: out }, 'an export folder outside the checkpoint it exports');
  const mark = { [EXPORT_MARK]: `step ${ck.state.step}` };
  let written: WeightsWritten = { files: [], bytes: 0 };
  writeFolderAtomic(out, (tmp) => {
    written = writeFolderWeights(tmp, arrays, {
      dtype: st,
      maxShardBytes: opts.maxShardBytes ?? 2e9,
      metadata: { format: 'pt', ...mark },
      indexMetadata: mark,
    });
    const json = (file: string, o: unknown) =>
      fs.writeFileSync(path.join(tmp, file), JSON.stringify(o, null, 2) + '\n');
    const ids = {
      bosTokenId: tokenizer.bosId,
      eosTokenId: tokenizer.eosId,
      padTokenId: tokenizer.padId,
      stopIds: tokenizer.stopIds,
    };
    json(CHECKPOINT_FILES.hfConfig, { ...hfConfigJson(modelConfig, ids), torch_dtype: dtype });
    json(CHECKPOINT_FILES.generationConfig, generationConfigJson(ids));
    if (tokenizer.kind === 'bytes') {
      json('tokenizer.json', byteTokenizerJson());
      json('tokenizer_config.json', byteTokenizerConfigJson(modelConfig.maxPositionEmbeddings));
    }
    for (const f of tokenizer.sourceFiles) fs.copyFileSync(f, path.join(tmp, path.basename(f)));
    if (ck.adapters) {
      fs.mkdirSync(path.join(tmp, ADAPTER_DIR));
      for (const f of Object.values(ADAPTER_FILES))
        fs.copyFileSync(path.join(checkpointDir, f), path.join(tmp, ADAPTER_DIR, f));
    }
  });
  return { out, dtype, files: written.files, bytes: written.bytes };
}
