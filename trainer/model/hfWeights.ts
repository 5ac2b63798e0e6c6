// The weights of a Hugging Face model folder: one `model.safetensors`, or shards
// `model-0000N-of-0000M.safetensors` listed by `model.safetensors.index.json`
// ({"weight_map": {tensor: shard file}}). float32, float16 and bfloat16 are read as
// float32 (trainer/model/safetensors.ts). Every problem is an InputError naming the file
// and, where there is one, the tensor.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../protocol/errors';
import { readJsonObject } from './readJson';
import { type NamedArray, readSafetensors } from './safetensors';

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
