// The kernel profile's arithmetic (bench/kernelStats.ts): self times of nested calls,
// matmul FLOPs recovered from the shapes tf.profile() records (no transpose attributes),
// the per-kernel and per-shape sums, and custom-gradient scopes kept out of the step's
// kernel time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  byKernel,
  byMatMulShape,
  formatRows,
  gemmOf,
  gflops,
  type KernelCall,
  matMulFlops,
  selfTimes,
  summarize,
} from '../../bench/kernelStats';

const call = (name: string, ms: number, inputShapes: number[][] = [], out: number[] = [1]): KernelCall => ({
  name,
  kernelTimeMs: ms,
  inputShapes,
  outputShapes: [out],
});

test('self times take nested calls out of the call around them', () => {
  // Completion order, as tf.profile() lists calls. A matmul (10 ms) that ran two Identity
  // clones (1 ms each) inside it; then a custom-gradient scope (20 ms) whose Exp (5 ms) ran
  // a nested Identity (2 ms) and whose Sum took 6 ms; then a top-level Add (3 ms).
  const inclusive = [1, 1, 10, 2, 5, 6, 20, 3];
  const depths = [2, 2, 1, 3, 2, 2, 1, 1];
  assert.deepEqual(selfTimes(inclusive, depths), [1, 1, 8, 2, 3, 6, 9, 3]);
  // The self times add up to the top-level calls' time.
  assert.equal(
    selfTimes(inclusive, depths).reduce((a, b) => a + b, 0),
    10 + 20 + 3,
  );
  // Flat lists are unchanged.
  assert.deepEqual(selfTimes([4, 5], [1, 1]), [4, 5]);
});

test('matmul FLOPs are 2·M·N·K·batch whichever operand is transposed', () => {
  // [2688, 128] @ [128, 352]: plain, and the gradient dW = x^T · dy with a given as [K, M].
  assert.equal(
    matMulFlops(
      [
        [2688, 128],
        [128, 352],
      ],
      [2688, 352],
    ),
    2 * 2688 * 352 * 128,
  );
  assert.equal(
    matMulFlops(
      [
        [2688, 352],
        [2688, 128],
      ],
      [352, 128],
    ),
    2 * 352 * 128 * 2688,
  );
  // Batched attention scores [16, 4, 168, 32] @ [16, 4, 32, 168]^T -> [16, 4, 168, 168].
  assert.deepEqual(
    gemmOf(
      [
        [16, 4, 168, 32],
        [16, 4, 168, 32],
      ],
      [16, 4, 168, 168],
    ),
    [64, 168, 32, 168],
  );
  // A broadcast batch in a: only a's last two axes are read.
  assert.deepEqual(
    gemmOf(
      [
        [1, 5, 3],
        [4, 3, 7],
      ],
      [4, 5, 7],
    ),
    [4, 5, 3, 7],
  );
  assert.equal(matMulFlops([null, [3, 4]], [2, 4]), 0);
  assert.equal(matMulFlops([[3]], [3]), 0);
});

test('calls aggregate by kernel name, slowest first, FLOPs only for matmuls', () => {
  const calls = [
    call('Add', 1),
    call(
      'BatchMatMul',
      4,
      [
        [2, 3],
        [3, 5],
      ],
      [2, 5],
    ),
    call('Add', 2.5),
    call(
      '_FusedMatMul',
      1,
      [
        [4, 6],
        [5, 6],
      ],
      [4, 5],
    ),
    call(
      'BatchMatMul',
      6,
      [
        [3, 2],
        [3, 5],
      ],
      [2, 5],
    ),
  ];
  const rows = byKernel(calls);
  assert.deepEqual(
    rows.map((r) => [r.key, r.calls, r.totalMs, r.flops]),
    [
      ['BatchMatMul', 2, 10, 2 * (2 * 2 * 3 * 5)], // two calls of 2·M·N·K,
      ['Add', 2, 3.5, 0],
      ['_FusedMatMul', 1, 1, 2 * 4 * 6 * 5],
    ],
  );
  const shapes = byMatMulShape(calls);
  assert.deepEqual(
    shapes.map((r) => [r.key, r.calls, r.gemm]),
    [
      ['3x2 @ 3x5 -> 2x5', 1, [1, 2, 3, 5]],
      ['2x3 @ 3x5 -> 2x5', 1, [1, 2, 3, 5]],
      ['_FusedMatMul 4x6 @ 5x6 -> 4x5', 1, [1, 4, 6, 5]],
    ],
  );
});

test('the step summary leaves custom-gradient scopes out of the kernel time', () => {
  const calls: KernelCall[] = [
    { ...call('logSoftmax__op', 10), composite: true },
    call('Exp', 4),
    call('Sub', 3),
    call(
      'BatchMatMul',
      8,
      [
        [10, 10],
        [10, 10],
      ],
      [10, 10],
    ),
  ];
  assert.deepEqual(summarize(calls), { kernelMs: 15, matMulMs: 8, matMulFlops: 2000, calls: 3 });
  assert.equal(byKernel(calls)[0].composite, true);
  // 2000 FLOP in 8 ms = 250,000 FLOP/s = 0.00025 GFLOP/s.
  assert.equal(gflops(2000, 8), 0.00025);
  assert.equal(gflops(1e9, 0), 0);
});

test('the table shows share of the step, GFLOP/s for matmuls, and marks scopes', () => {
  const rows = byKernel([
    call(
      'BatchMatMul',
      50,
      [
        [1000, 1000],
        [1000, 1000],
      ],
      [1000, 1000],
    ),
    call('Add', 10),
    { ...call('softmax__op', 5), composite: true },
    call('Exp', 1),
  ]);
  const lines = formatRows(rows, 200, 3);
  assert.equal(lines.length, 4, 'header + the top 3');
  assert.match(lines[1], /^BatchMatMul\s+1\s+50\.0\s+25\.0%\s+2\.00\s+40\.0$/);
  assert.match(lines[2], /^Add\s+1\s+10\.0\s+5\.0%\s*$/);
  assert.match(lines[3], /^softmax__op \*/);
});
