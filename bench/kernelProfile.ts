// `node --import tsx bench/kernelProfile.ts` (part of `npm run bench`): figures, not
// assertions. Where a wasm training step's time goes, for the tiny and small presets with
// bench/run.ts's batch (4 parallel items x 7 languages, SOLAR lambda 0.5): one warm-up
// step, one plain timed step, then one step (forward + backward + AdamW) under
// tf.profile(). Per kernel: calls, total ms, share of the step, and for matmuls the FLOPs
// and GFLOP/s; then the machine's sgemm reference (PyTorch float32 matmul at 1 and 2
// threads, when Debian's python3-torch is installed) and wasm's matmul efficiency against it.
//
// How the kernel times are measured: tf.profile() sets the engine's profiling flag, so
// every engine.runKernel goes through Profiler.profileKernel, which calls the backend's
// time(f). The wasm backend's time() runs the kernel synchronously between two
// performance.now() readings (wasm has no async device queue), so kernelTimeMs is real
// wall time of the kernel call; engine.profile() awaits each kernelTimeMs before it
// returns, and we still check that every one is a number. Those times are inclusive:
// the Identity clones the engine saves for the gradient tape, and a custom-gradient op's
// kernels, run (and are listed) inside another call. tf.profile() does not say which, so
// while profiling we wrap the engine's (internal) profiler to note the kernelDepth of each
// call, and report self times (kernelStats.selfTimes).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type ModelPreset, OptimizerConfig } from '../protocol/runConfig';
import { selectBackend } from '../trainer/backend/selectBackend';
import { loadParallelJsonl } from '../trainer/data/load';
import { initParams, type Params, paramGrads } from '../trainer/model/model';
import { type ModelConfig, presetConfig } from '../trainer/model/modelConfig';
import { type Batch, batchIndices, makeBatch } from '../trainer/train/batches';
import { computeLoss } from '../trainer/train/objective';
import { AdamW } from '../trainer/train/optimizer';
import {
  byKernel,
  byMatMulShape,
  byOtherShape,
  formatRows,
  type Gemm,
  gflops,
  type KernelCall,
  selfTimes,
  summarize,
} from './kernelStats';

const ROOT = path.resolve(__dirname, '..');
const LANGS = ['en', 'es', 'fr', 'zh', 'sw', 'yo', 'te'];
const BATCH_ITEMS = 4;
const MAX_SEQ = 192;
const LAMBDA = 0.5;

interface Profiled {
  preset: ModelPreset;
  plainMs: number;
  profiledMs: number;
  calls: KernelCall[];
  unmeasured: number;
}

/** The engine internals the depth recorder reads (not in tfjs-core's public types). */
interface EngineView {
  state: { kernelDepth: number };
  profiler: { profileKernel: (...args: unknown[]) => unknown };
}

/**
 * Runs `f` under tf.profile() and returns, per listed call, the engine's kernelDepth at
 * the call. profileKernel returns right after the kernel ran (wasm is synchronous) and the
 * engine lists the call straight after, so the two lists are in the same order.
 */
async function profileWithDepths(
  f: () => void,
): Promise<{ info: Awaited<ReturnType<typeof tf.profile>>; depths: number[] }> {
  const engine = tf.engine() as unknown as EngineView;
  const profiler = engine.profiler;
  const original = profiler.profileKernel;
  const seen: { name: unknown; depth: number }[] = [];
  profiler.profileKernel = (...args: unknown[]) => {
    const depth = engine.state.kernelDepth;
    const out = original.apply(profiler, args);
    seen.push({ name: args[0], depth });
    return out;
  };
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(f);
  } finally {
    profiler.profileKernel = original;
  }
  if (seen.length !== info.kernels.length || seen.some((s, i) => s.name !== info.kernels[i].name))
    throw new Error('the kernels tf.profile() listed do not match the calls its profiler saw');
  return { info, depths: seen.map((s) => s.depth) };
}

function trainStep(params: Params, opt: AdamW, mc: ModelConfig, b: Batch, step: number): void {
  const { value, grads } = paramGrads(
    params,
    () => computeLoss(params, mc, b, { lambda: LAMBDA, tau: 1, topK: 0, pool: 'response', symmetric: false }).loss,
  );
  opt.apply(params, grads, step, 1e-3);
  value.dataSync();
  tf.dispose([value, ...grads.values()]);
}

async function profilePreset(preset: ModelPreset, b: Batch): Promise<Profiled> {
  const mc = presetConfig(preset, MAX_SEQ);
  const params = initParams(mc, 0);
  const opt = new AdamW(OptimizerConfig.parse({}), params);
  trainStep(params, opt, mc, b, 1); // warm-up: XNNPACK packing, wasm heap growth
  const plain: number[] = [];
  for (let step = 2; step <= 4; step++) {
    const t = performance.now();
    trainStep(params, opt, mc, b, step);
    plain.push(performance.now() - t);
  }
  const plainMs = plain.sort((x, y) => x - y)[1]; // median of 3
  const t0 = performance.now();
  const { info, depths } = await profileWithDepths(() => trainStep(params, opt, mc, b, 5));
  const profiledMs = performance.now() - t0;
  tf.dispose([...params.values()]);
  opt.dispose();
  let unmeasured = 0;
  const inclusive = info.kernels.map((k) => {
    // After engine.profile() this is a number; a backend without a timer gives {error}.
    const ms: unknown = k.kernelTimeMs;
    if (typeof ms !== 'number') unmeasured++;
    return typeof ms === 'number' ? ms : 0;
  });
  const self = selfTimes(inclusive, depths);
  const calls: KernelCall[] = info.kernels.map((k, i) => {
    return {
      name: k.name,
      kernelTimeMs: self[i],
      inputShapes: k.inputShapes,
      outputShapes: k.outputShapes,
      // A registered kernel, or the scope of a tf.customGrad op (no kernel by that name).
      composite: tf.getKernel(k.name, tf.getBackend()) === undefined,
    };
  });
  return { preset, plainMs, profiledMs, calls, unmeasured };
}

function printProfile(p: Profiled, rows: number, seq: number): void {
  const mc = presetConfig(p.preset, MAX_SEQ);
  const s = summarize(p.calls);
  console.log(
    `\n${p.preset} preset (d ${mc.hiddenSize}, ${mc.numHiddenLayers} layers, F ${mc.intermediateSize}), ${rows} rows x ${seq} tokens, SOLAR lambda ${LAMBDA}, wasm`,
  );
  console.log(
    `  step wall time: ${p.plainMs.toFixed(0)} ms plain (median of 3), ${p.profiledMs.toFixed(0)} ms profiled; ${s.calls} kernel calls` +
      (p.unmeasured > 0 ? ` (${p.unmeasured} without a time!)` : ''),
  );
  for (const line of formatRows(byKernel(p.calls), p.profiledMs, 15)) console.log(`  ${line}`);
  console.log(
    '  (self times: a call nested in another, e.g. the Identity clones saved for the tape, counts only in its own row;',
  );
  console.log("   * = a custom-gradient op's scope: its own JS time, counted as overhead below)");
  const gap = p.profiledMs - s.kernelMs;
  console.log(
    `  sum of kernel time ${s.kernelMs.toFixed(0)} ms = ${((100 * s.kernelMs) / p.profiledMs).toFixed(1)}% of the profiled step; ` +
      `the other ${gap.toFixed(0)} ms (${((100 * gap) / p.profiledMs).toFixed(1)}%) is framework overhead (tensor bookkeeping, tape, JS, profiler)`,
  );
  console.log(
    `  matmuls: ${s.matMulMs.toFixed(0)} ms (${((100 * s.matMulMs) / p.profiledMs).toFixed(1)}% of the step), ` +
      `${(s.matMulFlops / 1e9).toFixed(2)} GFLOP at ${gflops(s.matMulFlops, s.matMulMs).toFixed(1)} GFLOP/s`,
  );
  console.log('  top matmul shapes ([a] @ [b] -> [out]; transposes are not recorded):');
  for (const line of formatRows(byMatMulShape(p.calls), p.profiledMs, 8, 44)) console.log(`    ${line}`);
  console.log("  top other kernels by input shapes (broadcasting ones take wasm's per-element index path):");
  for (const line of formatRows(byOtherShape(p.calls), p.profiledMs, 10, 44)) console.log(`    ${line}`);
}

interface SgemmRow {
  threads: number;
  shape: Gemm;
  gflops: number;
}

// Best of 5 rounds of >= 0.2 s each: a peak figure, as little disturbed by other load as we can.
const SGEMM_PY = `
import json, sys, time, torch
shapes = json.loads(sys.argv[1]); rows = []
for t in (1, 2):
    torch.set_num_threads(t)
    for b, m, k, n in shapes:
        x, y = (torch.randn(m, k), torch.randn(k, n)) if b == 1 else (torch.randn(b, m, k), torch.randn(b, k, n))
        for _ in range(3): torch.matmul(x, y)
        best = float('inf')
        for _ in range(5):
            reps, t0 = 0, time.perf_counter()
            while reps < 3 or time.perf_counter() - t0 < 0.2:
                torch.matmul(x, y); reps += 1
            best = min(best, (time.perf_counter() - t0) / reps)
        rows.append({'threads': t, 'shape': [b, m, k, n], 'gflops': 2 * b * m * k * n / best / 1e9})
print(json.dumps({'torch': torch.__version__, 'rows': rows}))
`;

function sgemmReference(shapes: Gemm[]): { torch: string; rows: SgemmRow[] } | string {
  // Debian's python3-torch lives under the system python, not a pyenv one.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, ['-c', SGEMM_PY, JSON.stringify(shapes)], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop()!;
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

const gemmText = ([b, m, k, n]: Gemm): string => `${b > 1 ? `${b} x ` : ''}${m}x${k} @ ${k}x${n}`;

async function main(): Promise<void> {
  const load = (): string =>
    os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  const info = await selectBackend('wasm');
  console.log(
    `kernel profile of one training step: tfjs-core ${tf.version_core}, ${info.device}, ${os.cpus().length} CPUs, load ${load()}`,
  );
  const items = loadParallelJsonl(path.join(ROOT, 'examples', 'data', 'train.parallel.jsonl'));
  const b = makeBatch(
    batchIndices(items.length, BATCH_ITEMS, 0, 1).map((i) => items[i]),
    { languages: LANGS, pivot: 'en', maxSeqLen: MAX_SEQ, pool: 'response' },
  );
  const profiles: Profiled[] = [];
  // BENCH_PRESETS=tiny profiles one preset (quicker, while working on a kernel).
  const presets = (process.env.BENCH_PRESETS ?? 'tiny,small').split(',') as ModelPreset[];
  for (const preset of presets) {
    const p = await profilePreset(preset, b);
    printProfile(p, b.R, b.T);
    profiles.push(p);
  }

  // The reference: a square 512^3 sgemm and each preset's costliest matmul shape.
  const biggest = profiles.map((p) => {
    const row = byMatMulShape(p.calls)[0] ?? { key: '-', calls: 0, totalMs: 0, flops: 0 };
    return { row, gemm: row.gemm ?? ([1, 1, 1, 1] as Gemm) };
  });
  const shapes: Gemm[] = [[1, 512, 512, 512], ...biggest.map((x) => x.gemm)];
  const ref = sgemmReference(shapes);
  console.log(`\nsgemm reference (load ${load()})`);
  if (typeof ref === 'string') {
    console.log(`  PyTorch not available (${ref}); apt-get install python3-torch libopenblas0-pthread`);
    return;
  }
  console.log(`  PyTorch ${ref.torch} float32 matmul, best of 5 rounds:`);
  for (const r of ref.rows)
    console.log(`    ${r.threads} thread(s)  ${gemmText(r.shape).padEnd(30)} ${r.gflops.toFixed(1)} GFLOP/s`);
  const refAt = (threads: number, i: number): number => ref.rows.filter((r) => r.threads === threads)[i]?.gflops ?? 0;
  const peak2 = refAt(2, 0);
  const peak1 = refAt(1, 0);
  if (peak2 < peak1)
    console.log(
      '  (2 threads slower than 1: other jobs hold the second core, so the 1-thread figures are the fairer reference)',
    );
  for (const [i, p] of profiles.entries()) {
    const s = summarize(p.calls);
    const all = gflops(s.matMulFlops, s.matMulMs);
    const big = biggest[i];
    const bigRate = gflops(big.row.flops, big.row.totalMs);
    const pct = (x: number, of: number): string => (of > 0 ? `${((100 * x) / of).toFixed(0)}%` : '-');
    console.log(
      `  ${p.preset}: wasm matmuls overall ${all.toFixed(1)} GFLOP/s = ${pct(all, peak2)} of the 2-thread 512^3 peak (${pct(all, peak1)} of 1 thread); ` +
        `costliest shape ${gemmText(big.gemm)} ${bigRate.toFixed(1)} GFLOP/s = ${pct(bigRate, refAt(2, i + 1))} of PyTorch's 2-thread rate for it (${pct(bigRate, refAt(1, i + 1))} of 1 thread)`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
