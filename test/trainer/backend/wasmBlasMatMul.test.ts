// BatchMatMul on wasm through the native BLAS (trainer/backend/nativeBlas.ts,
// wasmBlasMatMul.ts, native/blas/solarBlas.c): the same cases as the XNNPACK route,
// forward and gradients against the cpu backend, plus the addon's own argument checks.
// Where the addon is not built or no BLAS opens, these tests skip and say why, unless
// SOLAR_EXPECT_NATIVE_BLAS=1 (set by .ci/run), where that is a failure.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { NativeBlas } from '../../../trainer/backend/nativeBlas';
import {
  compare,
  compareBothBroadcast,
  MATMUL_CASES,
  operandShapes,
  randSnap,
  TRANSPOSES,
  withGrads,
} from '../../helpers/backendCompare';
import { nativeBlas, nativeSkip, useWasmWithNative } from '../../helpers/nativeBlas';

const loaded = nativeBlas;
const skip = nativeSkip;

test('the native BLAS loads where CI expects it', { skip: process.env.SOLAR_EXPECT_NATIVE_BLAS !== '1' }, () => {
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.reason);
  assert.match(loaded.blas.describe, /thread/);
});

before(async () => {
  useWasmWithNative();
  assert.ok(await tf.setBackend('wasm'));
  await tf.ready();
});

for (const c of MATMUL_CASES) {
  for (const [ta, tb] of TRANSPOSES) {
    test(`BLAS matMul ${c.name}, transposeA=${ta} transposeB=${tb}: forward${c.grads ? ' + grads' : ''} match cpu`, {
      skip,
    }, async () => {
      const [sa, sb] = operandShapes(c.outerA, c.outerB, c.M, c.K, c.N, ta, tb);
      const a = randSnap(sa);
      const b = randSnap(sb);
      const mm = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.matMul(x, y, ta, tb);
      if (c.grads) await compare('matMul', [a, b], withGrads(mm, randSnap([...c.outerA, c.M, c.N])));
      else await compare('matMul', [a, b], (x, y) => [mm(x, y)]);
    });
  }
}

// Products big enough to be split across threads (>= 2M multiply-adds): by row blocks
// when there are fewer slices than threads, by slices otherwise; 3 threads split unevenly.
const THREADED: Array<{ name: string; outerA: number[]; outerB: number[]; M: number; K: number; N: number }> = [
  { name: 'rank 2, row blocks', outerA: [], outerB: [], M: 301, K: 97, N: 83 },
  { name: 'rank 3, slices', outerA: [5], outerB: [5], M: 121, K: 64, N: 61 },
  { name: 'rank 3 @ rank 2, folded rows', outerA: [3], outerB: [], M: 101, K: 99, N: 77 },
];
for (const threads of [1, 2, 3]) {
  for (const c of THREADED) {
    for (const [ta, tb] of TRANSPOSES) {
      test(`BLAS matMul on ${threads} thread(s), ${c.name}, transposeA=${ta} transposeB=${tb}: matches cpu`, {
        skip,
      }, async () => {
        const blas = (loaded as { blas: NativeBlas }).blas;
        const [sa, sb] = operandShapes(c.outerA, c.outerB, c.M, c.K, c.N, ta, tb);
        blas.setThreads(threads);
        try {
          await compare('matMul', [randSnap(sa), randSnap(sb)], (x, y) => [tf.matMul(x, y, ta, tb)]);
        } finally {
          blas.setThreads(Math.min(64, os.availableParallelism())); // as loadNativeBlas set it
        }
      });
    }
  }
}

// A batch-1 a against a batched b: a's one slice is reused (stride 0) for every batch.
test('BLAS matMul: batch-1 a against batched b, transposed a, matches cpu', { skip }, async () => {
  const a = randSnap([1, 9, 6]); // used as [1, 6, 9]
  const b = randSnap([4, 9, 5]);
  await compare('matMul', [a, b], (x, y) => [tf.matMul(x, y, true, false)]);
});

// Both operands broadcast: one BLAS call per output slice on views of the operands.
for (const [ta, tb] of TRANSPOSES) {
  test(
    `BLAS matMul: [2,1] @ [1,3] batches, transposeA=${ta} transposeB=${tb}: numpy broadcasting`,
    {
      skip,
    },
    () => compareBothBroadcast(7, 5, 4, ta, tb),
  );
}

test('BLAS matMul: an empty product gives an empty result', { skip }, async () => {
  await tf.setBackend('wasm');
  const out = tf.matMul(tf.zeros([0, 4]), tf.zeros([4, 3]));
  assert.deepEqual(out.shape, [0, 3]);
  out.dispose();
});

test('BLAS matMul frees nothing it should keep and keeps nothing it should free', { skip }, async () => {
  await tf.setBackend('wasm');
  const a = tf.randomNormal([3, 33, 40]);
  const b = tf.randomNormal([3, 31, 33]);
  const backend = tf.backend();
  const before = backend.numDataIds();
  tf.tidy(() => {
    tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, true, true)))([a, b]);
  });
  assert.equal(backend.numDataIds(), before);
  assert.equal(a.isDisposed, false);
  tf.dispose([a, b]);
});

// The addon checks sizes against the arrays before it touches memory: a wrong call is an
// exception in JS, not a read past the wasm heap.
test('the addon refuses operands shorter than their shapes and strides', { skip }, () => {
  const blas = (loaded as { blas: NativeBlas }).blas;
  const a = new Float32Array([1, 2, 3, 4, 5, 6]); // [2, 3]
  const b = new Float32Array([1, 0, 0, 1, 1, 1]); // [3, 2]
  const c = new Float32Array(4);
  blas.matmul(a, b, c, 1, 2, 2, 3, false, false, 0, 0);
  assert.deepEqual(Array.from(c), [4, 5, 10, 11]);
  // Transposed b: b stored as [2, 3] = rows (1,0,1) and (0,1,1).
  blas.matmul(a, new Float32Array([1, 0, 1, 0, 1, 1]), c, 1, 2, 2, 3, false, true, 0, 0);
  assert.deepEqual(Array.from(c), [4, 5, 10, 11]);
  assert.throws(() => blas.matmul(a, b, c, 2, 2, 2, 3, false, false, 6, 0), RangeError);
  assert.throws(() => blas.matmul(a, b, new Float32Array(3), 1, 2, 2, 3, false, false, 0, 0), RangeError);
  assert.throws(() => blas.matmul(a, b, c, 1, 0, 2, 3, false, false, 0, 0), RangeError);
  assert.throws(
    () => blas.matmul(a, new Int32Array(6) as unknown as Float32Array, c, 1, 2, 2, 3, false, false, 0, 0),
    /Float32Arrays/,
  );
});
