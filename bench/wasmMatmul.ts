// `node --import tsx bench/wasmMatmul.ts`: figures, not assertions.
// ms per BatchMatMul on the wasm backend, with the upstream kernel and with
// our override (trainer/backend/wasmKernels.ts), for each transpose
// combination; then a training-step-like microbench (linear layers in the
// model's [out, in] weight layout, causal attention, embedding gather, grads).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm'; // also registers the wasm backend + kernels
import { registerWasmKernelOverrides } from '../trainer/backend/wasmKernels';

const MATMUL_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;

type KernelSet = Map<string, tf.KernelConfig>;

function snapshotKernels(): KernelSet {
  const m: KernelSet = new Map();
  for (const k of MATMUL_KERNELS) {
    const c = tf.getKernel(k, 'wasm');
    if (c) m.set(k, c);
  }
  return m;
}

/** Swaps the registered wasm matmul kernels (the registry is global and looked up per call). */
function useKernels(set: KernelSet): void {
  for (const [name, config] of set) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
  }
}

/** Mean ms per call after one warm-up; at least 3 calls, about `budgetMs` in all. */
function msPerCall(f: () => void, budgetMs = 1500): number {
  f();
  let n = 0;
  const t0 = performance.now();
  while (n < 3 || (performance.now() - t0 < budgetMs && n < 200)) {
    f();
    n++;
  }
  return (performance.now() - t0) / n;
}

const fmt = (ms: number): string => ms.toFixed(2).padStart(9);

function matmulTable(
  title: string,
  aShape: (ta: boolean) => number[],
  bShape: (tb: boolean) => number[],
  upstream: KernelSet,
  ours: KernelSet,
): void {
  console.log(`\n${title}`);
  console.log('  transposeA transposeB   upstream ms   override ms   speed-up');
  for (const [ta, tb] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    const a = tf.randomNormal(aShape(ta));
    const b = tf.randomNormal(bShape(tb));
    const call = (): void => tf.matMul(a, b, ta, tb).dispose();
    useKernels(upstream);
    const before = msPerCall(call);
    useKernels(ours);
    const after = msPerCall(call);
    console.log(
      `  ${String(ta).padEnd(10)} ${String(tb).padEnd(10)} ${fmt(before)}     ${fmt(after)}     ${(before / after).toFixed(1).padStart(5)}×`,
    );
    tf.dispose([a, b]);
  }
}

/**
 * A training step shaped like the built-in model's: tokens [B, T] -> gather
 * from an embedding [V, d] -> L x (RMS-style norm, q/k/v/o projections with
 * [out, in] weights (x W^T), causal attention over [B, H, T, hd], SwiGLU MLP)
 * -> tied output projection -> log-softmax cross-entropy; gradients of all
 * weights with tf.variableGrads.
 */
function makeStep(): { step: () => void; dispose: () => void } {
  const B = 4;
  const T = 64;
  const d = 128;
  const H = 4;
  const hd = d / H;
  const F = 352;
  const V = 512;
  const L = 2;
  const w = (shape: number[]): tf.Variable => tf.variable(tf.mul(tf.randomNormal(shape), 0.02));
  const embed = w([V, d]);
  const layers = Array.from({ length: L }, () => ({
    q: w([d, d]),
    k: w([d, d]),
    v: w([d, d]),
    o: w([d, d]),
    gate: w([F, d]),
    up: w([F, d]),
    down: w([d, F]),
  }));
  const vars = [embed, ...layers.flatMap((l) => Object.values(l))];
  const ids = tf.randomUniform([B, T], 0, V, 'int32');
  const targets = tf.oneHot(tf.reshape(tf.randomUniform([B, T], 0, V, 'int32'), [-1]), V);
  const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9);
  const linear = (x: tf.Tensor, wt: tf.Tensor): tf.Tensor2D =>
    tf.matMul(x as tf.Tensor2D, wt as tf.Tensor2D, false, true);
  const norm = (x: tf.Tensor): tf.Tensor => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-5)));
  const heads = (x: tf.Tensor): tf.Tensor => tf.transpose(tf.reshape(x, [B, T, H, hd]), [0, 2, 1, 3]);
  const loss = (): tf.Scalar => {
    let x: tf.Tensor = tf.gather(embed, tf.reshape(ids, [-1])); // [B*T, d]
    for (const l of layers) {
      const h = norm(x);
      const scores = tf.add(
        tf.mul(tf.matMul(heads(linear(h, l.q)), heads(linear(h, l.k)), false, true), 1 / Math.sqrt(hd)),
        mask,
      );
      const att = tf.matMul(tf.softmax(scores), heads(linear(h, l.v))); // [B, H, T, hd]
      x = tf.add(x, linear(tf.reshape(tf.transpose(att, [0, 2, 1, 3]), [B * T, d]), l.o));
      const h2 = norm(x);
      const gate = linear(h2, l.gate);
      x = tf.add(x, linear(tf.mul(tf.mul(gate, tf.sigmoid(gate)), linear(h2, l.up)), l.down));
    }
    const logits = linear(norm(x), embed); // [B*T, V]
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), targets), -1))) as tf.Scalar;
  };
  const step = (): void => {
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  return { step, dispose: () => tf.dispose([...vars, ids, targets, mask]) };
}

async function main(): Promise<void> {
  const upstream = snapshotKernels();
  registerWasmKernelOverrides(); // also supplies UnsortedSegmentSum (gather's gradient)
  const ours = snapshotKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend failed to initialise');
  await tf.ready();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  console.log(
    `tfjs-core ${tf.version_core}, backend wasm (SIMD ${String(simd)}, ${getThreadsCount()} thread(s)), Node ${process.version}`,
  );

  matmulTable(
    'BatchMatMul [B=16, 128x128] @ [B=16, 128x384] (batched)',
    () => [16, 128, 128], // square: the same shape either way
    (tb) => (tb ? [16, 384, 128] : [16, 128, 384]),
    upstream,
    ours,
  );
  matmulTable(
    'BatchMatMul [2048x128] @ [128x384] (2-D, same multiply-adds)',
    (ta) => (ta ? [128, 2048] : [2048, 128]),
    (tb) => (tb ? [384, 128] : [128, 384]),
    upstream,
    ours,
  );
  matmulTable(
    'BatchMatMul [B*H=16, T=64, hd=32] attention scores q @ k^T and friends',
    (ta) => (ta ? [16, 32, 64] : [16, 64, 32]),
    (tb) => (tb ? [16, 64, 32] : [16, 32, 64]),
    upstream,
    ours,
  );

  console.log('\nTraining-step microbench (B=4, T=64, d=128, H=4, F=352, V=512, 2 layers; forward + all weight grads)');
  const { step, dispose } = makeStep();
  useKernels(upstream);
  const before = msPerCall(step, 4000);
  useKernels(ours);
  const after = msPerCall(step, 4000);
  console.log(
    `  upstream ${before.toFixed(1)} ms/step, override ${after.toFixed(1)} ms/step, speed-up ${(before / after).toFixed(1)}×`,
  );
  dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
