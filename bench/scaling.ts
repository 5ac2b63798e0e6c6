// `node --import tsx bench/scaling.ts` (part of `npm run bench`): figures, not assertions.
// The training step from tiny to a ~100M-parameter model, ours beside PyTorch on the same
// model, batch and machine. Each row runs in a process of its own (bench/stepChild.ts,
// bench/torchRef.py) so peak memory is per configuration. Ours: wasm with the matmuls on
// the native BLAS (and, for the two presets, on wasm's XNNPACK for comparison); PyTorch
// (Debian's python3-torch, OpenBLAS) at 1 and 2 threads. The ratio is ours / the better
// PyTorch; the issue's goal is <= 1.0x.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { batchShape, benchBatches, type Figures, ROOT } from './stepTiming';

interface Dims {
  name: string;
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  /** Timed steps per row: fewer for the big ones, whose steps take seconds. */
  steps: number;
  /** Parallel items per batch: one for the big ones, whose activations at four items pass wasm's 4 GiB heap. */
  items: number;
}

// tiny and small are the built-in presets; the other two scale width and depth like
// Llama (head width 64, intermediate ~3.3x) to ~20M and ~100M parameters (byte vocabulary).
const CONFIGS: Dims[] = [
  {
    name: 'tiny',
    hiddenSize: 128,
    intermediateSize: 352,
    numHiddenLayers: 4,
    numAttentionHeads: 4,
    steps: 6,
    items: 4,
  },
  {
    name: 'small',
    hiddenSize: 256,
    intermediateSize: 704,
    numHiddenLayers: 6,
    numAttentionHeads: 8,
    steps: 4,
    items: 4,
  },
  {
    name: '~20M',
    hiddenSize: 448,
    intermediateSize: 1216,
    numHiddenLayers: 8,
    numAttentionHeads: 7,
    steps: 3,
    items: 1,
  },
  {
    name: '~100M',
    hiddenSize: 768,
    intermediateSize: 2560,
    numHiddenLayers: 12,
    numAttentionHeads: 12,
    steps: 2,
    items: 1,
  },
];
const VOCAB = 260;

/** Parameters of the model (tied embeddings, no biases): embeddings, 4 attention + 3 MLP projections, 2 norms per layer, final norm. */
function paramCount(c: Dims): number {
  const d = c.hiddenSize;
  return VOCAB * d + c.numHiddenLayers * (4 * d * d + 3 * d * c.intermediateSize + 2 * d) + d;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; why: string };

function runJson<T>(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Outcome<T> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 900_000, maxBuffer: 16 * 2 ** 20 });
  if (r.status !== 0)
    return { ok: false, why: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() ?? '' };
  return { ok: true, value: JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as T };
}

function ours(c: Dims, lambda: number, blas: boolean): Outcome<Figures & { device: string }> {
  const { name: _name, ...rest } = c; // steps and items go to the child too
  const env = { ...process.env, SOLAR_NATIVE_BLAS: blas ? '1' : '0' };
  return runJson(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'bench', 'stepChild.ts'), JSON.stringify({ ...rest, lambda })],
    env,
  );
}

interface TorchFigures {
  stepMs: number;
  threads: number;
  torch: string;
  peakMB: number;
}

function torch(c: Dims, rows: number, seq: number, threads: number): Outcome<TorchFigures> {
  // Debian's python3-torch lives under the system python, not a pyenv one.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const args = [
    path.join(ROOT, 'bench', 'torchRef.py'),
    ...['--rows', rows, '--seq', seq, '--threads', threads, '--steps', Math.max(2, c.steps)].map(String),
    ...['--hidden-size', c.hiddenSize, '--intermediate-size', c.intermediateSize].map(String),
    ...['--num-hidden-layers', c.numHiddenLayers, '--num-attention-heads', c.numAttentionHeads].map(String),
  ];
  return runJson(python, args);
}

const ms = (x: number): string => x.toFixed(0).padStart(8);
const mb = (x: number): string => x.toFixed(0).padStart(7);

function main(): void {
  console.log('\nscaling: ms per step, peak RSS MB; each row on its own batch of the example training set');
  console.log(
    'config  params  batch    ours SFT  SOLAR  SOLAR/SFT  tok/s  RSS |  torch 1t  2t    RSS | ours/torch | XNNPACK SFT',
  );
  let device = '';
  // BENCH_CONFIGS=tiny,small runs those rows only (quicker, while working on a kernel).
  const only = process.env.BENCH_CONFIGS?.split(',');
  for (const c of CONFIGS.filter((d) => !only || only.includes(d.name))) {
    const { rows, seq } = batchShape(benchBatches(c.items));
    const sft = ours(c, 0, true);
    const solar = ours(c, 0.5, true);
    const t1 = torch(c, rows, seq, 1);
    const t2 = torch(c, rows, seq, 2);
    // wasm's own matmul, for the presets only: at 20M+ its steps take minutes.
    const xnn = c.steps >= 4 ? ours(c, 0, false) : undefined;
    if (!sft.ok || !solar.ok) {
      console.log(`${c.name.padEnd(7)} failed: ${!sft.ok ? sft.why : !solar.ok ? solar.why : ''}`);
      continue;
    }
    device = sft.value.device;
    const best = [t1, t2].filter((t) => t.ok).map((t) => (t as { value: TorchFigures }).value);
    const bestTorch = best.length > 0 ? best.reduce((a, b) => (a.stepMs <= b.stepMs ? a : b)) : undefined;
    const torchCols =
      t1.ok && t2.ok
        ? `${ms(t1.value.stepMs)}${ms(t2.value.stepMs)}${mb(Math.max(t1.value.peakMB, t2.value.peakMB))}`
        : `  (PyTorch: ${!t1.ok ? t1.why : ''})`;
    console.log(
      `${c.name.padEnd(7)} ${(paramCount(c) / 1e6).toFixed(1).padStart(5)}M ${`${rows}x${seq}`.padStart(7)} ${ms(sft.value.stepMs)}${ms(solar.value.stepMs)}` +
        `${(solar.value.stepMs / sft.value.stepMs).toFixed(2).padStart(9)}${sft.value.tokensPerSec.toFixed(0).padStart(7)}${mb(solar.value.peakMB)} |` +
        `${torchCols} | ${bestTorch ? `${(sft.value.stepMs / bestTorch.stepMs).toFixed(2)}x`.padStart(9) : '        -'}   |` +
        `${xnn?.ok ? ms(xnn.value.stepMs) : ''}`,
    );
  }
  console.log(
    `ours: ${device}; torch: Debian python3-torch with OpenBLAS (apt-get install python3-torch libopenblas0-pthread)`,
  );
}

main();
