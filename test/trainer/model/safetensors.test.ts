// The safetensors reader never trusts its header: every entry is checked (dtype, shape x
// dtype size = byte range, inside the file, no overlaps) before anything is allocated, and
// each problem is an InputError naming the file and the tensor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { decodeSafetensors, encodeSafetensors } from '../../../trainer/model/safetensors';

/** A file with this header JSON and `dataBytes` bytes of data. */
function file(header: unknown, dataBytes: number): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + json.length + dataBytes);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  return out;
}

function rejects(buf: Buffer, field: string | undefined, pattern: RegExp): void {
  assert.throws(
    () => decodeSafetensors(buf, 'w.safetensors'),
    (e) =>
      e instanceof InputError &&
      e.location.file === 'w.safetensors' &&
      e.location.field === field &&
      pattern.test(e.message),
  );
}

test('round trip of float32 tensors and metadata', () => {
  const t = new Map([
    ['b', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    ['a', { shape: [1], data: Float32Array.from([-7.5]) }],
  ]);
  const back = decodeSafetensors(encodeSafetensors(t, { step: '3' }), 'x');
  assert.deepEqual([...back.tensors.get('b')!.data], [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(back.tensors.get('a')!.shape, [1]);
  assert.deepEqual(back.metadata, { step: '3' });
});

test('float16 and bfloat16 are converted to float32', () => {
  const buf = file(
    { h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] }, b: { dtype: 'BF16', shape: [1], data_offsets: [4, 6] } },
    6,
  );
  const base = buf.length - 6;
  buf.writeUInt16LE(0x3c00, base); // 1.0 in float16
  buf.writeUInt16LE(0xc000, base + 2); // -2.0
  buf.writeUInt16LE(0x4040, base + 4); // 3.0 in bfloat16
  const t = decodeSafetensors(buf, 'x').tensors;
  assert.deepEqual([...t.get('h')!.data], [1, -2]);
  assert.deepEqual([...t.get('b')!.data], [3]);
});

test('a byte range shorter than its shape is an error, not zero-filled data', () => {
  rejects(
    file({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 8] } }, 16),
    'w',
    /a byte range of 16 bytes for F32 \[4\] \(header says 0\.\.8, 8 bytes\)/,
  );
});

test('an entry without data_offsets, an unknown dtype, a range past the end, overlapping ranges', () => {
  rejects(file({ w: { dtype: 'F32', shape: [1] } }, 4), 'w.data_offsets', /safetensors entry/);
  rejects(
    file({ w: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8),
    'w',
    /dtype F32, F16 or BF16 \(got I64\)/,
  );
  rejects(file({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), 'w', /truncated/);
  rejects(
    file(
      { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
      12,
    ),
    'b',
    /does not overlap "a"/,
  );
  rejects(file([1, 2], 0), undefined, /a JSON object as the safetensors header/);
  rejects(file({ __metadata__: { step: 3 } }, 0), '__metadata__', /string values/);
});
