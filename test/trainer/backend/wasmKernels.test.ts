// wasm kernel overrides (trainer/backend/wasmKernels.ts) and backend selection.
// Every wasm result is compared with the cpu backend on the same random inputs;
// both backends live in this process and data moves between them as plain
// arrays (dataSync), so each side computes from identical float32 values.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the @tensorflow/tfjs bundle does it).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import { registerWasmKernelOverrides, useNativeBlas } from '../../../trainer/backend/wasmKernels';
import {
  compare,
  compareBothBroadcast,
  fromSnap,
  intSnap,
  MATMUL_CASES,
  on,
  operandShapes,
  randSnap,
  type Snap,
  TRANSPOSES,
  withGrads,
} from '../../helpers/backendCompare';

before(async () => {
  // The XNNPACK route (the native BLAS route has wasmBlasMatMul.test.ts); selectBackend,
  // tested last in this file, switches the BLAS back on where the machine has it.
  useNativeBlas(null);
  registerWasmKernelOverrides();
  registerWasmKernelOverrides(); // idempotent
  assert.ok(await tf.setBackend('wasm'));
  await tf.ready();
});

for (const c of MATMUL_CASES) {
  for (const [ta, tb] of TRANSPOSES) {
    test(`matMul ${c.name}, transposeA=${ta} transposeB=${tb}: forward${c.grads ? ' + grads' : ''} match cpu`, async () => {
      const [sa, sb] = operandShapes(c.outerA, c.outerB, c.M, c.K, c.N, ta, tb);
      const a = randSnap(sa);
      const b = randSnap(sb);
      const mm = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.matMul(x, y, ta, tb);
      if (c.grads) {
        const outShape = [...c.outerA, c.M, c.N];
        await compare('matMul', [a, b], withGrads(mm, randSnap(outShape)));
      } else {
        await compare('matMul', [a, b], (x, y) => [mm(x, y)]);
      }
    });
  }
}

// tfjs's cpu kernel broadcasts batch dims by flat index modulo (out batch o
// uses a[o % batchA], b[o % batchB]), which differs from numpy/TensorFlow when
// both sides broadcast ([2,1] vs [1,3]); the override follows numpy, so the
// reference here tiles both operands to the full batch shape first.
// Small slices too: wasm's own kernel would return max(batchA, batchB) slices, not 6.
for (const [[ta, tb], M] of TRANSPOSES.flatMap((t) => [[t, 40] as const, [t, 7] as const])) {
  test(`matMul broadcast [2,1] @ [1,3] batches (split), M=${M}, transposeA=${ta} transposeB=${tb}: numpy broadcasting`, () =>
    compareBothBroadcast(M, 33, 31, ta, tb));
}

test('matMul override frees its intermediates (no wasm heap tensors leak)', async () => {
  await tf.setBackend('wasm');
  const a = tf.randomNormal([3, 33, 40]); // used as a^T: [3, 40, 33]
  const b = tf.randomNormal([3, 31, 33]); // used as b^T: [3, 33, 31]
  const w = tf.randomNormal([20, 40]);
  const backend = tf.backend();
  const before = backend.numDataIds();
  const tensorsBefore = tf.memory().numTensors;
  tf.tidy(() => {
    tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, true, true)))([a, b]);
    tf.matMul(tf.reshape(a, [99, 40]), tf.ones([99, 7]), true, false); // [40, 99] @ [99, 7]
    tf.matMul(tf.reshape(a, [99, 40]), w, false, true); // [99, 40] @ [40, 20]
    tf.fused.matMul({
      a: tf.reshape(a, [99, 40]),
      b: tf.ones([7, 99]),
      transposeA: true,
      transposeB: true,
      bias: tf.ones([7]),
    });
  });
  assert.equal(backend.numDataIds(), before, 'wasm data ids after tidy');
  assert.equal(tf.memory().numTensors, tensorsBefore);
  tf.dispose([a, b, w]);
});

// Upstream wasm _FusedMatMul adds the bias wrongly on its naive path (rows > 0);
// the override keeps it on XNNPACK, so all of these must match cpu.
for (const [ta, tb] of TRANSPOSES) {
  test(`fused matMul with bias, transposeA=${ta} transposeB=${tb}: forward + grads match cpu`, async () => {
    for (const [outer, M, K, N] of [
      [[], 37, 29, 23],
      [[2], 40, 33, 31],
      [[3], 4, 5, 3],
    ] as Array<[number[], number, number, number]>) {
      const [sa, sb] = operandShapes(outer, outer, M, K, N, ta, tb);
      const fm = (x: tf.Tensor, y: tf.Tensor, bias: tf.Tensor): tf.Tensor =>
        tf.fused.matMul({ a: x, b: y, transposeA: ta, transposeB: tb, bias, activation: 'relu' });
      await compare(
        `fused.matMul ${[...outer, M, K, N]}`,
        [randSnap(sa), randSnap(sb), randSnap([N])],
        withGrads(fm, randSnap([...outer, M, N])),
      );
    }
  });
}

test('fused matMul, rank 3 @ broadcast batch-1 weights (folded), matches cpu', async () => {
  await compare('fused.matMul folded', [randSnap([4, 6, 8]), randSnap([1, 8, 5]), randSnap([5])], (x, y, bias) => [
    tf.fused.matMul({ a: x, b: y, bias, activation: 'linear' }),
  ]);
});

test('gather forward + gradient match cpu (axis 0, embedding-like, repeated ids)', async () => {
  const table = randSnap([50, 16]);
  const ids = intSnap([7, 5], 0, 50);
  ids.data[3] = ids.data[4] = ids.data[9] = 11; // repeated rows must accumulate
  const r = randSnap([7, 5, 16]);
  await compare(
    'gather',
    [table],
    withGrads((t) => tf.gather(t, fromSnap(ids)), r),
  );
});

test('gather forward + gradient match cpu (axis 1)', async () => {
  const x = randSnap([4, 10, 3]);
  const ids = intSnap([6], 0, 10);
  const r = randSnap([4, 6, 3]);
  await compare(
    'gather axis 1',
    [x],
    withGrads((t) => tf.gather(t, fromSnap(ids), 1), r),
  );
});

test('unsortedSegmentSum forward matches cpu (out-of-range ids ignored)', async () => {
  const x = randSnap([12, 3, 2]);
  const ids: Snap = { shape: [12], dtype: 'int32', data: [0, 4, 2, 2, -1, 5, 1, 0, 4, 7, 3, 2] };
  await compare('unsortedSegmentSum', [x], (t) => [tf.unsortedSegmentSum(t, fromSnap(ids) as tf.Tensor1D, 5)]);
  const x1 = randSnap([9]);
  await compare('unsortedSegmentSum rank 1', [x1], (t) => [
    tf.unsortedSegmentSum(t, tf.tensor1d([1, 1, 1, 0, 2, 2, 8, 1, 0], 'int32') as tf.Tensor1D, 3),
  ]);
});

test('unsortedSegmentSum on wasm: int32 values and rank-2 segment ids (TensorFlow semantics)', async () => {
  await tf.setBackend('wasm');
  // tfjs types segmentIds as 1-D; TensorFlow allows any prefix of x's shape.
  const ids = tf.tensor2d(
    [
      [0, 2, 0],
      [1, -3, 2],
    ],
    [2, 3],
    'int32',
  ) as unknown as tf.Tensor1D;
  const out = tf.tidy(() =>
    tf.unsortedSegmentSum(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2], 'int32'), ids, 3),
  );
  ids.dispose();
  assert.equal(out.dtype, 'int32');
  // segment 0 <- rows (0,0) [1,2] and (0,2) [5,6]; 1 <- (1,0) [7,8]; 2 <- (0,1) [3,4] and (1,2) [11,12]
  assert.deepEqual(out.arraySync(), [
    [6, 8],
    [7, 8],
    [14, 16],
  ]);
  out.dispose();
});

// Every op the model uses, forward and gradient, on wasm vs cpu. A kernel
// missing on wasm shows up here as "Kernel 'X' not registered for backend 'wasm'".
const OPS: Array<{ name: string; inputs: () => Snap[]; f: (...xs: tf.Tensor[]) => tf.Tensor; grad?: boolean }> = [
  { name: 'softmax', inputs: () => [randSnap([4, 7], -3, 3)], f: (x) => tf.softmax(x) },
  { name: 'logSoftmax', inputs: () => [randSnap([4, 7], -3, 3)], f: (x) => tf.logSoftmax(x) },
  { name: 'sigmoid', inputs: () => [randSnap([4, 7], -3, 3)], f: (x) => tf.sigmoid(x) },
  { name: 'rsqrt', inputs: () => [randSnap([4, 7], 0.5, 2)], f: (x) => tf.rsqrt(x) },
  { name: 'mean', inputs: () => [randSnap([4, 7])], f: (x) => tf.mean(x, -1, true) },
  { name: 'sum', inputs: () => [randSnap([4, 7])], f: (x) => tf.sum(x, 0) },
  { name: 'max', inputs: () => [randSnap([4, 7])], f: (x) => tf.max(x, -1) },
  { name: 'exp', inputs: () => [randSnap([4, 7])], f: (x) => tf.exp(x) },
  { name: 'log', inputs: () => [randSnap([4, 7], 0.5, 2)], f: (x) => tf.log(x) },
  { name: 'concat', inputs: () => [randSnap([4, 3]), randSnap([4, 5])], f: (x, y) => tf.concat([x, y], 1) },
  { name: 'slice', inputs: () => [randSnap([4, 7])], f: (x) => tf.slice(x, [1, 2], [2, 4]) },
  { name: 'transpose', inputs: () => [randSnap([2, 3, 4, 5])], f: (x) => tf.transpose(x, [0, 2, 1, 3]) },
  { name: 'reshape', inputs: () => [randSnap([4, 6])], f: (x) => tf.reshape(x, [2, 3, 4]) },
  { name: 'tile', inputs: () => [randSnap([3, 4])], f: (x) => tf.tile(x, [2, 3]) },
  {
    name: 'where/greaterEqual',
    inputs: () => [randSnap([4, 7]), randSnap([4, 7])],
    f: (x, y) => tf.where(tf.greaterEqual(x, 0), x, y),
  },
  {
    name: 'expandDims/squeeze',
    inputs: () => [randSnap([4, 7])],
    f: (x) => tf.squeeze(tf.mul(tf.expandDims(x, 1), 2), [1]),
  },
  { name: 'sqrt', inputs: () => [randSnap([4, 7], 0.5, 2)], f: (x) => tf.sqrt(x) },
  { name: 'square', inputs: () => [randSnap([4, 7])], f: (x) => tf.square(x) },
  { name: 'clipByValue', inputs: () => [randSnap([4, 7])], f: (x) => tf.clipByValue(x, -0.5, 0.5) },
  { name: 'maximum', inputs: () => [randSnap([4, 7]), randSnap([4, 7])], f: (x, y) => tf.maximum(x, y) },
  {
    name: 'cast',
    inputs: () => [randSnap([4, 7], -3, 3)],
    f: (x) => tf.mul(x, tf.cast(tf.cast(x, 'int32'), 'float32')),
  },
  { name: 'stack', inputs: () => [randSnap([4, 7]), randSnap([4, 7])], f: (x, y) => tf.stack([x, y], 1) },
  {
    name: 'unstack',
    inputs: () => [randSnap([3, 5])],
    f: (x) => tf.concat(tf.unstack(x, 0).map((t, i) => tf.mul(t, i + 1))),
  },
  { name: 'oneHot', inputs: () => [intSnap([6], 0, 5)], f: (x) => tf.oneHot(x, 5), grad: false },
  {
    name: 'topk',
    inputs: () => [randSnap([3, 9])],
    f: (x) => tf.concat([tf.topk(x, 4).values, tf.cast(tf.topk(x, 4).indices, 'float32')], 1),
    grad: false,
  },
  // The transformer block's attention, end to end.
  {
    name: 'attention block',
    inputs: () => [randSnap([2, 5, 8]), randSnap([8, 24])],
    f: (x, w) => {
      const qkv = tf.reshape(tf.matMul(tf.reshape(x, [10, 8]), w), [2, 5, 3, 2, 4]);
      const [q, k, v] = tf.unstack(tf.transpose(qkv, [2, 0, 3, 1, 4])); // each [2, 2, 5, 4]
      const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([5, 5]), -1, 0)), -1e9);
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(q, k, false, true), 0.5), mask));
      return tf.matMul(att, v);
    },
  },
];

for (const op of OPS) {
  test(`wasm kernels for ${op.name}${op.grad === false ? '' : ' and its gradient'} exist and match cpu`, async () => {
    const inputs = op.inputs();
    if (op.grad === false) {
      await compare(op.name, inputs, (...xs) => [op.f(...xs)]);
      return;
    }
    const shape = await on('cpu', inputs, (...xs) => [op.f(...xs)]);
    await compare(op.name, inputs, withGrads(op.f, randSnap(shape[0].shape)));
  });
}

// ---------------------------------------------------------------------------
// selectBackend

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

test("selectBackend('cpu') reports and activates cpu", async () => {
  const info = await selectBackend('cpu');
  assert.equal(info.backend, 'cpu');
  assert.equal(info.device, 'CPU (JavaScript)');
  assert.equal(tf.getBackend(), 'cpu');
});

test("selectBackend('wasm') reports and activates wasm with the overrides", async () => {
  const info = await selectBackend('wasm');
  assert.equal(info.backend, 'wasm');
  // With the native BLAS the device also names what runs the matmuls; without it a note says why.
  assert.match(info.device, /^CPU \(wasm( SIMD)?, \d+ threads?(; matmuls: .+, \d+ threads?)?\)$/);
  if (!info.device.includes('matmuls'))
    assert.ok(
      info.notes.some((n) => /BLAS/.test(n)),
      info.notes.join('; '),
    );
  assert.equal(tf.getBackend(), 'wasm');
  assert.notEqual(tf.getKernel('UnsortedSegmentSum', 'wasm'), undefined);
});

test("selectBackend('tensorflow') throws a helpful error when tfjs-node is not installed", {
  skip:
    installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')
      ? 'tfjs-node is installed here'
      : false,
}, async () => {
  await assert.rejects(selectBackend('tensorflow'), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /@tensorflow\/tfjs-node-gpu not installed/);
    assert.match(e.message, /npm install @tensorflow\/tfjs-node-gpu/);
    assert.match(e.message, /npm install @tensorflow\/tfjs-node\b/);
    return true;
  });
});

test("selectBackend('auto') without tfjs-node picks wasm and says why", {
  skip:
    installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')
      ? 'tfjs-node is installed here'
      : false,
}, async () => {
  const info = await selectBackend('auto');
  assert.equal(info.backend, 'wasm');
  // Then webgpu's reason (no adapter here; webgpuBackend.test.ts pins it) and, where the
  // native BLAS is missing, why the matmuls stay on wasm.
  assert.deepEqual(info.notes.slice(0, 2), [
    '@tensorflow/tfjs-node-gpu not installed',
    '@tensorflow/tfjs-node not installed',
  ]);
  assert.match(info.notes[2] ?? '', /^webgpu: /);
  for (const note of info.notes.slice(3)) assert.match(note, /BLAS/);
});

// Last: registers a 'tensorflow' backend in this process. A stand-in package
// (a cpu backend under the name 'tensorflow') in a temp folder exercises
// extraModulePaths, the require path and the device report.
test("selectBackend('tensorflow') finds tfjs-node through extraModulePaths", {
  skip:
    installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')
      ? 'tfjs-node is installed here'
      : false,
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-fake-tfjs-node-'));
  try {
    const pkg = path.join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: '@tensorflow/tfjs-node', version: '0.0.0', main: 'index.js' }),
    );
    fs.writeFileSync(
      path.join(pkg, 'index.js'),
      [
        `const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-core'))});`,
        `const cpu = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu'))});`,
        `tf.registerBackend('tensorflow', () => Object.assign(new cpu.MathBackendCPU(), { isUsingGpuDevice: false }));`,
        `tf.copyRegisteredKernels('cpu', 'tensorflow');`,
      ].join('\n'),
    );
    const info = await selectBackend('tensorflow', { extraModulePaths: [dir] });
    assert.equal(info.backend, 'tensorflow');
    assert.equal(info.device, 'CPU (libtensorflow)');
    assert.equal(tf.getBackend(), 'tensorflow');
    assert.deepEqual(tf.add(tf.tensor1d([1, 2]), 1).arraySync(), [2, 3]);
  } finally {
    tf.removeBackend('tensorflow');
    fs.rmSync(dir, { recursive: true, force: true });
    await tf.setBackend('cpu');
  }
});
