// The wasm kernels that copy less (trainer/backend/wasmCopyKernels.ts): Identity and
// same-dtype Cast share their input's data, GatherV2 copies whole rows. Values are
// compared with the cpu backend; sharing is seen in the backend's count of data ids. Slice
// and SplitV copy contiguous blocks straight from the heap.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernelOverrides } from '../../../trainer/backend/wasmKernels';
import { compare, fromSnap, intSnap, randSnap, type Snap, withGrads } from '../../helpers/backendCompare';

before(async () => {
  registerWasmKernelOverrides();
  assert.ok(await tf.setBackend('wasm'));
  await tf.ready();
});

/** Heap blocks the wasm backend holds now. */
const dataIds = (): number => tf.engine().backend.numDataIds();

test('clone on wasm shares the data: no new heap block, and the clone outlives its source', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const before = dataIds();
  const y = tf.clone(x);
  assert.equal(dataIds(), before, 'a clone adds no heap block');
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4, 5, 6]);
  y.dispose();
  assert.equal(dataIds(), before - 1, 'the block is freed with its last user');
});

test('a variable assigned a clone keeps its value when the clone source is disposed', async () => {
  await tf.setBackend('wasm');
  const v = tf.variable(tf.zeros([3]));
  const src = tf.tensor1d([7, 8, 9]);
  v.assign(tf.clone(src));
  src.dispose();
  assert.deepEqual(Array.from(v.dataSync()), [7, 8, 9]);
  v.dispose();
});

test('cast to the same dtype shares; float32 -> int32 -> bool convert as on cpu (wasm kept the low byte)', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor1d([1.7, -2.2, 0, 3]);
  const before = dataIds();
  const same = tf.cast(x, 'float32');
  assert.equal(dataIds(), before, 'same-dtype cast adds no heap block');
  same.dispose();
  x.dispose();
  await compare('cast chain', [randSnap([5, 4], -300, 300)], (t) => {
    const i = tf.cast(t, 'int32');
    return [i, tf.cast(i, 'bool'), tf.cast(tf.cast(i, 'bool'), 'float32')];
  });
});

test('gather matches cpu on every axis, negative axis, rank-2 indices and int32 values', async () => {
  const x = randSnap([4, 5, 6]);
  const ids = intSnap([3], 0, 4);
  await compare('gather axis 0', [x, ids], (t, i) => [tf.gather(t, i, 0)]);
  await compare('gather axis 1', [x, intSnap([7], 0, 5)], (t, i) => [tf.gather(t, i, 1)]);
  await compare('gather axis -1 (inner 1)', [x, intSnap([2, 3], 0, 6)], (t, i) => [tf.gather(t, i, -1)]);
  await compare('gather int32 values', [intSnap([6, 20], -50, 50), intSnap([2, 2], 0, 6)], (t, i) => [tf.gather(t, i)]);
  await compare('gather no indices', [x, { shape: [0], dtype: 'int32', data: [] }], (t, i) => [tf.gather(t, i)]);
});

test('gather gradient (the embedding backward) matches cpu with repeated ids', async () => {
  const table = randSnap([9, 24]);
  const ids = intSnap([5, 8], 0, 9);
  await compare(
    'embedding lookup',
    [table],
    withGrads((t) => tf.gather(t, fromSnap(ids)), randSnap([5, 8, 24])),
  );
});

test('gather names an out-of-range index and frees its output', async () => {
  await tf.setBackend('wasm');
  const x = tf.zeros([3, 4]);
  const idx = tf.tensor1d([0, 3], 'int32');
  const before = dataIds();
  assert.throws(() => tf.gather(x, idx), /index value 3 is not in \[0, 2\]/);
  assert.equal(dataIds(), before, 'no heap block left behind');
  tf.dispose([x, idx]);
});

test('oneHot matches cpu for float32 and int32, custom on/off values and out-of-range ids', async () => {
  const ids: Snap = { shape: [2, 3], dtype: 'int32', data: [0, 4, 2, -1, 5, 3] };
  await compare('oneHot', [ids], (i) => [
    tf.oneHot(i, 5, 1, 0, 'float32'),
    tf.oneHot(i, 5),
    tf.oneHot(i, 5, 2.5, -1, 'float32'),
  ]);
  await tf.setBackend('wasm');
  const f = tf.oneHot(tf.tensor1d([1], 'int32'), 3, 1, 0, 'float32');
  assert.deepEqual(Array.from(f.dataSync()), [0, 1, 0], 'float32 ones (wasm wrote int32 bits)');
  f.dispose();
});

test('slice and split match cpu: contiguous blocks (one copy) and strided ones (wasm’s own), int32 too', async () => {
  const x = randSnap([6, 4, 5]);
  await compare('slice rows', [x], (t) => [tf.slice(t, [2, 0, 0], [3, -1, -1])]);
  await compare('slice inside one row', [x], (t) => [tf.slice(t, [1, 2, 1], [1, 1, 3])]);
  await compare('slice strided', [x], (t) => [tf.slice(t, [0, 1, 2], [6, 2, 2])]);
  await compare('slice int32', [intSnap([5, 3], -9, 9)], (t) => [tf.slice(t, [1, 0], [2, 3])]);
  await compare('split axis 0', [x], (t) => tf.split(t, [1, 3, 2], 0));
  await compare('split after leading 1s', [randSnap([1, 7, 3])], (t) => tf.split(t, [4, 3], 1));
  await compare('split strided (axis 1)', [x], (t) => tf.split(t, [1, 3], 1));
  // The stacked q, k, v weights' gradient is a split of a concat's gradient.
  const w = [randSnap([4, 3]), randSnap([2, 3]), randSnap([2, 3])];
  await compare(
    'concat gradient',
    w,
    withGrads((a, b, c) => tf.concat([a, b, c], 0), randSnap([8, 3])),
  );
});
