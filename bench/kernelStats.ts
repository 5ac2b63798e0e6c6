// Pure helpers for bench/kernelProfile.ts: self times of nested kernel calls, the
// multiply-adds of a matmul from the shapes tf.profile() records, and the per-kernel /
// per-shape aggregation of a profiled step. No tfjs here, so
// test/bench/kernelStats.test.ts runs without a backend.

/** One kernel call as tf.profile() reports it, with its self time (see selfTimes). */
export interface KernelCall {
  name: string;
  /** ms in this call itself, kernels nested inside it left out. */
  kernelTimeMs: number;
  /** Shapes of the kernel's inputs in order (a, b[, bias, prelu] for matmuls); null for an absent input. */
  inputShapes: (number[] | null)[];
  outputShapes: number[][];
  /**
   * True for a custom-gradient op's scope (tf.customGrad, e.g. `logSoftmax__op`): the
   * engine records it like a kernel, but the kernels it runs are recorded too, so only
   * its self time (JS bookkeeping) is its own, and that counts as framework overhead.
   */
  composite?: boolean;
}

/**
 * Self times from inclusive ones. tf.profile() times each engine.runKernel call, and some
 * run inside others: the Identity clones the engine makes of a kernel's inputs/outputs
 * for the gradient tape run inside that kernel's timed call, and a custom-gradient op
 * runs its kernels inside its own. `inclusiveMs` and `depths` (the engine's kernelDepth at
 * each call, 1 = top level) are in completion order, the order tf.profile() lists calls:
 * a nested call completes before the call around it, so each call's children are the
 * calls one level deeper completed since the last call at its own level or above.
 */
export function selfTimes(inclusiveMs: number[], depths: number[]): number[] {
  const childMs = new Map<number, number>(); // depth -> ms of completed calls awaiting their parent
  return inclusiveMs.map((ms, i) => {
    const d = depths[i];
    const self = ms - (childMs.get(d + 1) ?? 0);
    childMs.set(d + 1, 0);
    childMs.set(d, (childMs.get(d) ?? 0) + ms);
    return self;
  });
}

export interface KernelRow {
  /** Kernel name, or for shape rows `a x b -> out`. */
  key: string;
  calls: number;
  totalMs: number;
  /** Floating-point operations (2 per multiply-add); 0 for kernels that are not matmuls. */
  flops: number;
  /** A custom-gradient scope (see KernelCall.composite): its self time only. */
  composite?: boolean;
  /** For matmul shape rows: the product as [batch, M, K, N]. */
  gemm?: Gemm;
}

/** One matmul as [batch, M, K, N]: batch x ([M, K] @ [K, N]). */
export type Gemm = [number, number, number, number];

const MATMUL_KERNELS = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul']);

export function isMatMulKernel(name: string): boolean {
  return MATMUL_KERNELS.has(name);
}

const product = (xs: number[]): number => xs.reduce((p, x) => p * x, 1);

/**
 * [batch, M, K, N] of one matmul call. The profile records shapes but not the transpose
 * attributes, so M, N and the batch come from the output [...batch, M, N], and K from a's
 * last two axes, which are {M, K} in either order: K = a[-2]·a[-1] / M. A broadcast batch
 * in a does not matter because only a's last two axes are read. Null when the shapes do
 * not describe a matmul.
 */
export function gemmOf(inputShapes: (number[] | null)[], outputShape: number[]): Gemm | null {
  const a = inputShapes[0];
  if (!a || a.length < 2 || outputShape.length < 2) return null;
  const m = outputShape[outputShape.length - 2];
  const n = outputShape[outputShape.length - 1];
  if (m === 0) return null;
  return [product(outputShape.slice(0, -2)), m, (a[a.length - 2] * a[a.length - 1]) / m, n];
}

/** FLOPs of one matmul, 2·M·N·K·batch (0 when the shapes do not describe one). */
export function matMulFlops(inputShapes: (number[] | null)[], outputShape: number[]): number {
  const g = gemmOf(inputShapes, outputShape);
  return g ? 2 * g[0] * g[1] * g[2] * g[3] : 0;
}

function gemmOfCall(c: KernelCall): Gemm | undefined {
  return (isMatMulKernel(c.name) && c.outputShapes[0] && gemmOf(c.inputShapes, c.outputShapes[0])) || undefined;
}

export function callFlops(c: KernelCall): number {
  return isMatMulKernel(c.name) && c.outputShapes[0] ? matMulFlops(c.inputShapes, c.outputShapes[0]) : 0;
}

function aggregate(calls: KernelCall[], keyOf: (c: KernelCall) => string, withGemm: boolean): KernelRow[] {
  const rows = new Map<string, KernelRow>();
  for (const c of calls) {
    const key = keyOf(c);
    const row = rows.get(key) ?? { key, calls: 0, totalMs: 0, flops: 0, gemm: withGemm ? gemmOfCall(c) : undefined };
    if (c.composite) row.composite = true;
    row.calls++;
    row.totalMs += c.kernelTimeMs;
    row.flops += callFlops(c);
    rows.set(key, row);
  }
  return [...rows.values()].sort((x, y) => y.totalMs - x.totalMs || x.key.localeCompare(y.key));
}

/** Calls grouped by kernel name, slowest total first. */
export function byKernel(calls: KernelCall[]): KernelRow[] {
  return aggregate(calls, (c) => c.name, false);
}

const dims = (s: number[] | null): string => (s ? s.join('x') : '-');

/** Matmul calls grouped by operand shapes (`[a] @ [b] -> [out]`, with `gemm`), slowest total first. */
export function byMatMulShape(calls: KernelCall[]): KernelRow[] {
  return aggregate(
    calls.filter((c) => isMatMulKernel(c.name)),
    (c) =>
      `${c.name === 'BatchMatMul' ? '' : `${c.name} `}${dims(c.inputShapes[0])} @ ${dims(c.inputShapes[1])} -> ${dims(c.outputShapes[0] ?? null)}`,
    true,
  );
}

/** The other (non-matmul) calls grouped by kernel and input shapes, slowest total first. */
export function byOtherShape(calls: KernelCall[]): KernelRow[] {
  return aggregate(
    calls.filter((c) => !isMatMulKernel(c.name)),
    (c) => `${c.name} ${c.inputShapes.map(dims).join(', ')}`,
    false,
  );
}

/** GFLOP/s of `flops` done in `ms` milliseconds (flops / ms / 1e6). */
export function gflops(flops: number, ms: number): number {
  return ms > 0 ? flops / ms / 1e6 : 0;
}

export interface StepSummary {
  /** Self time in kernels proper; the scopes' own time is overhead, not kernel time. */
  kernelMs: number;
  matMulMs: number;
  matMulFlops: number;
  /** Kernel calls, scopes left out. */
  calls: number;
}

export function summarize(calls: KernelCall[]): StepSummary {
  let kernelMs = 0;
  let matMulMs = 0;
  let matMulFlops = 0;
  let leaves = 0;
  for (const c of calls) {
    if (c.composite) continue;
    leaves++;
    kernelMs += c.kernelTimeMs;
    if (isMatMulKernel(c.name)) {
      matMulMs += c.kernelTimeMs;
      matMulFlops += callFlops(c);
    }
  }
  return { kernelMs, matMulMs, matMulFlops, calls: leaves };
}

/**
 * The table the bench prints: the top `limit` rows with calls, total ms, share of the
 * step's wall time `stepMs`, and GFLOP/s where the row has FLOPs. A custom-gradient
 * scope is marked `*`.
 */
export function formatRows(rows: KernelRow[], stepMs: number, limit: number, keyWidth = 24): string[] {
  const out = [`${'kernel'.padEnd(keyWidth)}  calls   total ms   share   GFLOP    GFLOP/s`];
  for (const r of rows.slice(0, limit)) {
    const share = stepMs > 0 ? `${((100 * r.totalMs) / stepMs).toFixed(1)}%` : '-';
    const fl = r.flops > 0 ? (r.flops / 1e9).toFixed(2) : '';
    const rate = r.flops > 0 ? gflops(r.flops, r.totalMs).toFixed(1) : '';
    const key = r.composite ? `${r.key} *` : r.key;
    out.push(
      `${key.padEnd(keyWidth)} ${String(r.calls).padStart(6)} ${r.totalMs.toFixed(1).padStart(10)} ${share.padStart(7)} ${fl.padStart(7)} ${rate.padStart(10)}`,
    );
  }
  return out;
}
