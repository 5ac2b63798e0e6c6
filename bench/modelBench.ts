// `npm run bench` (after the dataset bench): pretrained Hugging Face folders, as figures.
// 1. Load time and memory (RSS growth) of readHfFolder, the trainer's loader (config,
//    tokenizer.json, every weight converted to float32), for the tiny Llama and Qwen2 test
//    fixtures and for a ~90M-parameter random Llama written here: Llama 3's real tokenizer
//    (128,256 tokens, so the tied embedding is most of the parameters), 8 layers of width
//    512 with grouped-query attention, bfloat16 weights in two shards plus an index, as a
//    Hugging Face checkpoint on disk is.
// 2. `solar train` on that folder (the built CLI, wasm, 3 steps of one item in 2 languages,
//    64 tokens), every weight trained and with LoRA rank 8 on the projections: step time
//    and tokens/s from its metrics.jsonl (the median of the steps after the first), and
//    the process's peak RSS (GNU time).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTinyHf, copyTokenizer, seededWeights } from '../test/helpers/hfFixture';
import { hfConfigJson } from '../trainer/model/hfConfig';
import { readHfFolder } from '../trainer/model/hfModel';
import { writeFolderWeights } from '../trainer/model/hfWeights';
import { countParams, paramShapes } from '../trainer/model/model';
import type { ModelConfig } from '../trainer/model/modelConfig';
import type { NamedArray } from '../trainer/model/safetensors';

const ROOT = path.resolve(__dirname, '..');
const STEPS = 3;

/** The ~90M random Llama: Llama 3's vocabulary, a small body. */
const BIG: ModelConfig = {
  modelType: 'llama',
  vocabSize: 128_256,
  hiddenSize: 512,
  intermediateSize: 1536,
  numHiddenLayers: 8,
  numAttentionHeads: 8,
  numKeyValueHeads: 2,
  maxPositionEmbeddings: 2048,
  ropeTheta: 500_000,
  rmsNormEps: 1e-5,
};

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Write BIG as a Hugging Face folder: config.json, two bf16 shards + index, the real tokenizer. */
function writeBigLlama(dir: string): number {
  const arrays = new Map<string, NamedArray>();
  paramShapes(BIG).forEach(([name, shape], i) => {
    const size = shape.reduce((a, b) => a * b, 1);
    // Norms at 1 as a trained model's are near; matrices small, as N(0, 0.02) would be.
    const data = shape.length === 1 ? new Float32Array(size).fill(1) : seededWeights(i + 1, size, 2 ** -6);
    arrays.set(name, { shape, data });
  });
  const half = Math.ceil([...arrays.values()].reduce((n, a) => n + a.data.length * 2, 0) / 2);
  const { bytes: total } = writeFolderWeights(dir, arrays, {
    dtype: 'BF16',
    maxShardBytes: half,
    metadata: { format: 'pt' },
  });
  const ids = { bosTokenId: 128_000, eosTokenId: 128_001, padTokenId: 128_001, stopIds: [128_001, 128_009] };
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ ...hfConfigJson(BIG, ids), torch_dtype: 'bfloat16' }, null, 2),
  );
  copyTokenizer('llama3', dir);
  return total;
}

/** readHfFolder's wall time and the float32 weights it holds (what the model's variables are then made from). */
function timeLoad(label: string, dir: string): void {
  const t0 = performance.now();
  const folder = readHfFolder(dir);
  const ms = performance.now() - t0;
  const bytes = [...folder.arrays.values()].reduce((n, a) => n + a.data.byteLength, 0);
  const params = countParams(folder.modelConfig);
  console.log(
    `  ${label}: ${(params / 1e6).toFixed(2)}M parameters, ${folder.tokenizer.kind} tokenizer, loaded in ${ms.toFixed(0)} ms, ${mb(bytes)} of float32 weights`,
  );
}

function trainFigures(modelDir: string, work: string, lora: boolean): void {
  const what = lora ? 'LoRA rank 8' : 'every weight';
  const config = {
    name: 'bench-90m',
    // Every weight: AdamW's moments live outside wasm's 4 GiB heap (wasmAdamW.ts), so the
    // heap holds weights, gradients and activations. LoRA is how a laptop tunes a bigger
    // one: rank 8 on every projection, the base fixed.
    model: { path: modelDir, maxSeqLen: 64, ...(lora ? { lora: { rank: 8 } } : {}) },
    data: { train: path.join(ROOT, 'examples', 'data', 'train.parallel.jsonl') },
    // Two rows of Llama 3's 128k-entry logits (and their softmaxes and gradients) are most of a step's memory.
    languages: ['en', 'es'],
    objective: { lambda: 0.5 },
    steps: STEPS,
    batchSize: 1,
    checkpointEvery: 0,
    backend: 'wasm',
  };
  const file = path.join(work, 'bench.solar.json');
  fs.writeFileSync(file, JSON.stringify(config));
  const runDir = path.join(work, lora ? 'run-lora' : 'run-full');
  const timeFile = path.join(work, 'time.txt');
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      '-o',
      timeFile,
      process.execPath,
      path.join(ROOT, 'dist', 'trainer.js'),
      'train',
      file,
      '--run-dir',
      runDir,
      '--quiet',
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) {
    console.log(
      `  solar train on the 90M Llama, ${what}, failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`,
    );
    return;
  }
  const events = fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { kind: string; step: number; stepMs?: number; tokensPerSec?: number });
  const steps = events.filter((e) => e.kind === 'train' && e.step > 1);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const peakKB = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop());
  console.log(
    `  solar train, 90M Llama (wasm, ${what}, 2 rows x <=64 tokens): ${median(steps.map((e) => e.stepMs ?? 0))} ms/step, ${median(steps.map((e) => e.tokensPerSec ?? 0))} tokens/s, peak RSS ${mb(peakKB * 1024)}`,
  );
}

function main(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'trainer.js'))) throw new Error('run npm run build first');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-bench-hf-'));
  try {
    console.log('pretrained folders (readHfFolder: config, tokenizer, weights to float32):');
    timeLoad('tiny Llama fixture (GQA, untied, sharded)', buildTinyHf('llama', path.join(work, 'llama')));
    timeLoad('tiny Qwen2 fixture (q/k/v biases)', buildTinyHf('qwen2', path.join(work, 'qwen2')));
    const big = path.join(work, 'big');
    fs.mkdirSync(big);
    const t0 = performance.now();
    const bytes = writeBigLlama(big);
    console.log(
      `  (wrote the 90M Llama: ${mb(bytes)} of bf16 in 2 shards, ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    timeLoad('random Llama, Llama 3 tokenizer, bf16', big);
    trainFigures(big, work, false);
    trainFigures(big, work, true);
  } finally {
    if (!process.env.KEEP_BENCH) fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
