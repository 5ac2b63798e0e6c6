// safetensors, the Hugging Face tensor file: u64-LE header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {..}}, then raw
// little-endian data. Only F32 is written; F32, F16 and BF16 are read (as float32).
import * as fs from 'node:fs';
import { InputError } from '../../protocol/errors';

export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

export function encodeSafetensors(tensors: Map<string, NamedArray>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  const names = [...tensors.keys()].sort();
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8); // align data to 8 bytes
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors.get(name)!.data;
    Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(out, pos);
    pos += d.byteLength;
  }
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

export function decodeSafetensors(buf: Buffer, file: string): { tensors: Map<string, NamedArray>; metadata: Record<string, string> } {
  if (buf.length < 8) throw new InputError({ file }, 'a safetensors file (too short for a header)');
  const n = Number(buf.readBigUInt64LE(0));
  if (n <= 0 || 8 + n > buf.length) throw new InputError({ file }, `a safetensors header of ${n} bytes (file has ${buf.length}): truncated or not safetensors`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InputError({ file }, 'a JSON safetensors header');
  }
  const base = 8 + n;
  const tensors = new Map<string, NamedArray>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as HeaderEntry;
    const [begin, end] = e.data_offsets;
    if (base + end > buf.length) throw new InputError({ file, field: name }, `data up to byte ${base + end}, file has ${buf.length}: truncated`);
    const size = e.shape.reduce((a, b) => a * b, 1);
    tensors.set(name, { shape: e.shape, data: toFloat32(buf.subarray(base + begin, base + end), e.dtype, size, file, name) });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string>) ?? {} };
}

function toFloat32(bytes: Buffer, dtype: string, size: number, file: string, name: string): Float32Array {
  const out = new Float32Array(size);
  if (dtype === 'F32') {
    // Copy into an aligned buffer: the slice may start at any byte.
    new Uint8Array(out.buffer).set(bytes.subarray(0, size * 4));
    return out;
  }
  if (dtype === 'BF16' || dtype === 'F16') {
    const u32 = new Uint32Array(out.buffer);
    for (let i = 0; i < size; i++) {
      const h = bytes.readUInt16LE(i * 2);
      if (dtype === 'BF16') u32[i] = h << 16;
      else out[i] = halfToFloat(h);
    }
    return out;
  }
  throw new InputError({ file, field: name }, `dtype F32, F16 or BF16 (got ${dtype})`);
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * Math.pow(2, -14) * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * Math.pow(2, e - 15) * (1 + f / 1024);
}

export function readSafetensors(file: string) {
  return decodeSafetensors(fs.readFileSync(file), file);
}
