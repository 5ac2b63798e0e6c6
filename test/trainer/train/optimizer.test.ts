// AdamW (trainer/train/optimizer.ts): the in-place wasm update (trainer/backend/wasmAdamW.ts),
// both its JS loop and the native addon's threaded update, against the tf ops path on the
// cpu backend, step by step, with clipping and weight decay active; the update itself
// against the formula written out by hand; moments saved and loaded. The native cases skip where the addon is not
// built, unless SOLAR_EXPECT_NATIVE_BLAS=1 (wasmBlasMatMul.test.ts then fails first).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { OptimizerConfig } from '../../../protocol/runConfig';
import { loadNativeBlas, type NativeBlas } from '../../../trainer/backend/nativeBlas';
import { adamWInPlace } from '../../../trainer/backend/wasmAdamW';
import { registerWasmKernelOverrides, useNativeBlas } from '../../../trainer/backend/wasmKernels';
import { AdamW } from '../../../trainer/train/optimizer';
import { assertClose, randSnap, type Snap } from '../../helpers/backendCompare';

before(() => {
  registerWasmKernelOverrides();
});

const loaded = loadNativeBlas();
/** Calls of the native update, to see that the native route really ran. */
let nativeCalls = 0;
const counted: NativeBlas | null = loaded.ok
  ? {
      ...loaded.blas,
      adamw: (...args) => {
        nativeCalls++;
        loaded.blas.adamw(...args);
      },
    }
  : null;
const ROUTES = [
  { name: 'JS loop', blas: null, skip: false },
  { name: 'native', blas: counted, skip: loaded.ok ? false : loaded.reason },
];

// 'big.weight' has more elements than the native update's threading threshold (2^18).
const SHAPES: Record<string, number[]> = {
  'w.weight': [13, 7],
  'norm.weight': [7],
  'x.weight': [3, 2, 5],
  'big.weight': [600, 500],
};
const GRADS: Snap[][] = [0, 1, 2].map(() => Object.values(SHAPES).map((s) => randSnap(s, -2, 2)));
const START = Object.values(SHAPES).map((s) => randSnap(s));

/** Three AdamW steps on `backend`; returns params, m and v after each step, and the norms. */
async function run(backend: 'cpu' | 'wasm', o: OptimizerConfig): Promise<{ states: Snap[][]; norms: number[] }> {
  assert.ok(await tf.setBackend(backend));
  const names = Object.keys(SHAPES);
  const params = new Map(names.map((n, i) => [n, tf.variable(tf.tensor(START[i].data, START[i].shape))]));
  const opt = new AdamW(o, params);
  const states: Snap[][] = [];
  const norms: number[] = [];
  for (let step = 1; step <= GRADS.length; step++) {
    const grads = new Map(names.map((n, i) => [n, tf.tensor(GRADS[step - 1][i].data, GRADS[step - 1][i].shape)]));
    norms.push(opt.apply(params, grads, step, 0.05 * step));
    tf.dispose([...grads.values()]);
    const snapOf = (t: tf.Tensor): Snap => ({ shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync()) });
    const moments = opt.momentArrays();
    const snapArray = (n: string): Snap => {
      const a = moments.get(n)!;
      return { shape: a.shape, dtype: 'float32', data: Array.from(a.data) };
    };
    states.push(
      names.flatMap((n) => [snapOf(params.get(n)!), snapArray(`${n}.exp_avg`), snapArray(`${n}.exp_avg_sq`)]),
    );
  }
  opt.dispose();
  tf.dispose([...params.values()]);
  return { states, norms };
}

for (const [route, gradClip] of ROUTES.flatMap((r) => [0, 1].map((c) => [r, c] as const))) {
  const what = `fused wasm AdamW (${route.name}) matches the cpu ops path over 3 steps (gradClip ${gradClip}, weight decay on)`;
  test(what, { skip: route.skip }, async () => {
    useNativeBlas(route.blas);
    nativeCalls = 0;
    const o = OptimizerConfig.parse({ lr: 0.05, weightDecay: 0.1, gradClip, warmupSteps: 0 });
    const w = await run('wasm', o);
    const c = await run('cpu', o);
    assert.equal(nativeCalls, route.blas ? 3 * Object.keys(SHAPES).length : 0, 'updates run natively');
    w.norms.forEach((n, i) => assert.ok(Math.abs(n - c.norms[i]) < 1e-4 * c.norms[i], `norm at step ${i + 1}`));
    if (gradClip > 0) assert.ok(c.norms[0] > gradClip, 'the clipping is exercised');
    w.states.forEach((s, step) =>
      s.forEach((t, i) => assertClose(t, c.states[step][i], `step ${step + 1} tensor ${i}`, 1e-5)),
    );
  });
}

test('one fused step is the AdamW formula (bias correction, decoupled decay on matrices only)', async () => {
  useNativeBlas(null);
  const o = OptimizerConfig.parse({ lr: 0.1, beta1: 0.8, beta2: 0.9, eps: 1e-3, weightDecay: 0.5, gradClip: 0 });
  const { states } = await run('wasm', o);
  const lr = 0.05; // run() uses 0.05 * step
  Object.keys(SHAPES).forEach((name, k) => {
    const [p1, m1, v1] = states[0].slice(3 * k, 3 * k + 3);
    const decay = SHAPES[name].length >= 2 ? 1 - lr * 0.5 : 1;
    START[k].data.forEach((p0, i) => {
      const g = GRADS[0][k].data[i];
      const m = 0.2 * g;
      const v = 0.1 * g * g;
      const expected = decay * p0 - (lr * (m / 0.2)) / (Math.sqrt(v / 0.1) + 1e-3);
      assert.ok(Math.abs(m1.data[i] - m) < 1e-6, `${name} m[${i}]`);
      assert.ok(Math.abs(v1.data[i] - v) < 1e-6, `${name} v[${i}]`);
      assert.ok(Math.abs(p1.data[i] - expected) < 1e-5, `${name} p[${i}]: ${p1.data[i]} vs ${expected}`);
    });
  });
});

test('on wasm the update is in place with host moments; on cpu, variables', async () => {
  for (const [backend, inPlace] of [
    ['wasm', true],
    ['cpu', false],
  ] as const) {
    assert.ok(await tf.setBackend(backend));
    const p = new Map([['w', tf.variable(tf.ones([2, 3]))]]);
    const opt = new AdamW(OptimizerConfig.parse({}), p);
    assert.equal(opt.inPlace, inPlace, backend);
    const before = tf.memory().numTensors;
    const g = new Map([['w', tf.fill([2, 3], 0.5)]]);
    opt.apply(p, g, 1, 0.1);
    assert.ok(p.get('w')!.dataSync()[0] < 1, 'the parameter moved');
    assert.equal(tf.memory().numTensors, before + 1, 'no tensor left behind but the gradient');
    tf.dispose([...g.values(), ...p.values()]);
    opt.dispose();
  }
});

test('a parameter whose memory another tensor shares is not overwritten: the shared tensor keeps its value', async () => {
  assert.ok(await tf.setBackend('wasm'));
  const w = tf.variable(tf.ones([4]));
  const alias = tf.clone(w); // shares w's heap memory (wasmCopyKernels.ts)
  const opt = new AdamW(OptimizerConfig.parse({}), new Map([['w', w]]));
  const g = tf.fill([4], 1);
  opt.apply(new Map([['w', w]]), new Map([['w', g]]), 1, 0.1);
  assert.deepEqual(Array.from(alias.dataSync()), [1, 1, 1, 1], 'the clone is untouched');
  assert.ok(w.dataSync()[0] < 1, 'the variable got the update');
  tf.dispose([w, alias, g]);
});

test('moments survive momentArrays -> loadMoments across backends, and loading names a missing one', async () => {
  const o = OptimizerConfig.parse({ gradClip: 0 });
  assert.ok(await tf.setBackend('wasm'));
  const pw = new Map([['w', tf.variable(tf.ones([2, 2]))]]);
  const a = new AdamW(o, pw);
  a.apply(pw, new Map([['w', tf.tensor2d([1, 2, 3, 4], [2, 2])]]), 1, 0.1);
  const saved = a.momentArrays();
  assert.ok(await tf.setBackend('cpu'));
  const pc = new Map([['w', tf.variable(tf.ones([2, 2]))]]);
  const b = new AdamW(o, pc);
  b.loadMoments(saved, 'optimizer.safetensors');
  assert.deepEqual(Array.from(b.momentArrays().get('w.exp_avg_sq')!.data), Array.from(saved.get('w.exp_avg_sq')!.data));
  saved.delete('w.exp_avg');
  assert.throws(() => b.loadMoments(saved, 'optimizer.safetensors'), /w\.exp_avg/);
  b.dispose();
});

test('the in-place update refuses a mismatched gradient and a non-finite scalar by name', async () => {
  assert.ok(await tf.setBackend('wasm'));
  const p = tf.zeros([2, 3]);
  const m = new Float32Array(6);
  const s = { beta1: 0.9, beta2: 0.99, eps: 1e-8, lr: 0.1, decay: 1, bc1: 0.1, bc2: 0.01, clipScale: 1 };
  assert.throws(() => adamWInPlace(p, tf.zeros([3]), m, m, s), /g must be float32 with p's 6 elements, got 3/);
  assert.throws(() => adamWInPlace(p, p, m, m, { ...s, lr: Number.NaN }), /lr must be a finite number/);
  p.dispose();
});
