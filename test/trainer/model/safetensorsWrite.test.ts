// Writing float16 / bfloat16 safetensors: rounding to nearest with ties to even at the
// edges (subnormals, overflow, NaN), and files our reader decodes to the rounded values.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeSafetensors,
  encodeSafetensorsAs,
  floatToBf16,
  floatToHalf,
  roundTo,
} from '../../../trainer/model/safetensors';

test('float16: nearest, ties to even, subnormals, overflow and NaN', () => {
  const cases: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [0, 0],
    [-0, 0x8000],
    [65504, 0x7bff], // the largest half
    [65520, 0x7c00], // halfway to 65536: even is Infinity
    [1e6, 0x7c00],
    [-Infinity, 0xfc00],
    [1 + 2 ** -11, 0x3c00], // tie: down to the even mantissa
    [1 + 3 * 2 ** -11, 0x3c02], // tie: up to the even mantissa
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just past the tie: up
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0], // tie between 0 and 2^-24: even is 0
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 subnormal units: 2
    [2 ** -14 - 2 ** -25, 0x0400], // the largest subnormal's tie carries into the exponent
    [2 ** -26, 0],
  ];
  for (const [x, bits] of cases) assert.equal(floatToHalf(x), bits, `${x}`);
  assert.equal(floatToHalf(Number.NaN) & 0x7c00, 0x7c00);
  assert.notEqual(floatToHalf(Number.NaN) & 0x3ff, 0);
});

test('bfloat16: nearest, ties to even, overflow and NaN', () => {
  const cases: [number, number][] = [
    [1, 0x3f80],
    [-1, 0xbf80],
    [1 + 2 ** -8, 0x3f80], // tie: down to even
    [1 + 3 * 2 ** -8, 0x3f82], // tie: up to even
    [1 + 2 ** -8 + 2 ** -20, 0x3f81],
    [3.4028234663852886e38, 0x7f80], // float32 max rounds to Infinity
    [Number.POSITIVE_INFINITY, 0x7f80],
  ];
  for (const [x, bits] of cases) assert.equal(floatToBf16(x), bits, `${x}`);
  const nan = floatToBf16(Number.NaN);
  assert.equal(nan & 0x7f80, 0x7f80);
  assert.notEqual(nan & 0x7f, 0, 'NaN stays NaN, not Infinity');
});

test('encodeSafetensorsAs writes F16 / BF16 that decode to exactly the rounded values', () => {
  const data = new Float32Array([0.1, -1.5, 2.71, 1e-6, 70000, 1 + 2 ** -11]);
  const tensors = new Map([
    ['b', { shape: [2, 3], data }],
    ['a', { shape: [1], data: new Float32Array([2]) }],
  ]);
  for (const dtype of ['F16', 'BF16'] as const) {
    const buf = encodeSafetensorsAs(tensors, dtype, { k: 'v' });
    assert.equal((8 + Number(buf.readBigUInt64LE(0))) % 8, 0, 'data 8-byte aligned');
    const back = decodeSafetensors(buf, 'mem');
    assert.deepEqual(back.metadata, { k: 'v' });
    assert.deepEqual(back.tensors.get('b')!.shape, [2, 3]);
    assert.deepEqual(back.tensors.get('b')!.data, roundTo(data, dtype));
    assert.deepEqual(back.tensors.get('a')!.data, new Float32Array([2]));
    assert.equal(buf.length, 8 + Number(buf.readBigUInt64LE(0)) + 7 * 2);
  }
  assert.deepEqual(roundTo(data, 'F16')[4], Number.POSITIVE_INFINITY);
  assert.ok(Math.abs(roundTo(data, 'BF16')[2] - 2.71) < 2.71 * 2 ** -8);
});
