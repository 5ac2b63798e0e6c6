// The weights of a Hugging Face model folder: one `model.safetensors`, or shards
// `model-0000N-of-0000M.safetensors` listed by `model.safetensors.index.json`
// ({"weight_map": {tensor: shard file}}). float32, float16 and bfloat16 are read as
// float32 (trainer/model/safetensors.ts). Every problem is an InputError naming the file
// and, where there is one, the tensor. Written the same way (writeFolderWeights) by
// checkpoints and `solar export`: one file, or shards past a size, as transformers does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../protocol/errors';
import { readJsonObject } from './readJson';
import { dtypeBytes, encodeSafetensorsAs, type NamedArray, readSafetensors, type SaveDtype } from './safetensors';

export const SINGLE_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';

export interface FolderWeights {
  arrays: Map<string, NamedArray>;
  /** The file a tensor was read from (for errors about it), or the file that should have had it. */
  fileOf(name: string): string;
}

/** Read every tensor of the folder's weights; `wanted` (when given) keeps only those names. */
export function readFolderWeights(dir: string, wanted?: ReadonlySet<string>): FolderWeights {
  const index = path.join(dir, INDEX_FILE);
  const single = path.join(dir, SINGLE_FILE);
  if (fs.existsSync(index)) return readSharded(dir, index, wanted);
  if (fs.existsSync(single)) return { arrays: keep(readSafetensors(single).tensors, wanted), fileOf: () => single };
  const bin = fs.existsSync(path.join(dir, 'pytorch_model.bin'))
    ? ' (pytorch_model.bin is not read: save the model with safetensors)'
    : '';
  throw new InputError({ file: dir }, `a model folder with ${SINGLE_FILE} or ${INDEX_FILE}${bin}`);
}

/** Drop the tensors the model does not use (a tied model's lm_head copy, rotary caches). */
function keep(arrays: Map<string, NamedArray>, wanted?: ReadonlySet<string>): Map<string, NamedArray> {
  if (wanted) for (const name of [...arrays.keys()]) if (!wanted.has(name)) arrays.delete(name);
  return arrays;
}

function readSharded(dir: string, index: string, wanted?: ReadonlySet<string>): FolderWeights {
  const raw = readJsonObject(index, 'a safetensors index ({"weight_map": {tensor: shard}})');
  const map = raw.weight_map;
  if (!map || typeof map !== 'object' || Array.isArray(map))
    throw new InputError({ file: index, field: 'weight_map' }, 'an object from tensor names to shard files');
  const weightMap = map as Record<string, unknown>;
  const shards = new Map<string, string[]>();
  for (const [name, shard] of Object.entries(weightMap)) {
    // A shard is a file beside the index, never a path elsewhere.
    if (typeof shard !== 'string' || path.basename(shard) !== shard || !shard.endsWith('.safetensors'))
      throw new InputError(
        { file: index, field: `weight_map.${name}` },
        `a .safetensors file name in this folder (got ${JSON.stringify(shard)})`,
      );
    if (!shards.has(shard)) shards.set(shard, []);
    shards.get(shard)!.push(name);
  }
  const arrays = new Map<string, NamedArray>();
  const from = new Map<string, string>();
  for (const [shard, names] of shards) {
    const file = path.join(dir, shard);
    if (!fs.existsSync(file))
      throw new InputError(
        { file: index, field: `weight_map.${names[0]}` },
        `a shard that exists (${shard} is missing)`,
      );
    const tensors = keep(readSafetensors(file).tensors, wanted);
    for (const name of names) {
      if (wanted && !wanted.has(name)) continue;
      const t = tensors.get(name);
      if (!t) throw new InputError({ file, field: name }, `this tensor, which ${INDEX_FILE} places in this shard`);
      arrays.set(name, t);
      from.set(name, file);
    }
  }
  return { arrays, fileOf: (name) => from.get(name) ?? index };
}

/** The shard file name Hugging Face uses: model-00001-of-00003.safetensors. */
export function shardName(i: number, n: number): string {
  return `model-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.safetensors`;
}

/** Tensors in name order, grouped so no group passes maxBytes unless one tensor alone does. */
export function planShards(arrays: Map<string, NamedArray>, dtype: SaveDtype, maxBytes: number): string[][] {
  const shards: string[][] = [[]];
  let size = 0;
  for (const name of [...arrays.keys()].sort()) {
    const bytes = dtypeBytes(dtype, arrays.get(name)!.data.length);
    if (size > 0 && size + bytes > maxBytes) {
      shards.push([]);
      size = 0;
    }
    shards[shards.length - 1].push(name);
    size += bytes;
  }
  return shards;
}

export interface WeightsWritten {
  /** Weight files written into the folder, in order. */
  files: string[];
  /** Bytes of tensor data (the index's total_size). */
  bytes: number;
}

/**
 * Write `arrays` into `dir` as a model folder's weights: model.safetensors, or past
 * `maxShardBytes` shards plus model.safetensors.index.json (its metadata: total_size and
 * `indexMetadata`). `metadata` goes into every safetensors header.
 */
export function writeFolderWeights(
  dir: string,
  arrays: Map<string, NamedArray>,
  o: {
    dtype: SaveDtype;
    maxShardBytes: number;
    metadata: Record<string, string>;
    indexMetadata?: Record<string, string>;
  },
): WeightsWritten {
  const shards = planShards(arrays, o.dtype, o.maxShardBytes);
  const files = shards.length === 1 ? [SINGLE_FILE] : shards.map((_, i) => shardName(i + 1, shards.length));
  const weightMap: Record<string, string> = {};
  let bytes = 0;
  shards.forEach((names, i) => {
    const buf = encodeSafetensorsAs(new Map(names.map((n) => [n, arrays.get(n)!])), o.dtype, o.metadata);
    fs.writeFileSync(path.join(dir, files[i]), buf);
    for (const n of names) {
      weightMap[n] = files[i];
      bytes += dtypeBytes(o.dtype, arrays.get(n)!.data.length);
    }
  });
  if (shards.length > 1)
    fs.writeFileSync(
      path.join(dir, INDEX_FILE),
      JSON.stringify({ metadata: { total_size: bytes, ...o.indexMetadata }, weight_map: weightMap }, null, 2) + '\n',
    );
  return { files, bytes };
}
