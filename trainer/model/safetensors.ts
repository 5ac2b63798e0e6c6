// safetensors, the Hugging Face tensor file: u64-LE header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {..}}, then raw
// little-endian data. Checkpoints write F32; exports also F16 and BF16 (rounded to nearest
// even); F32, F16 and BF16 are read (as float32).
import * as fs from 'node:fs';
import { z } from 'zod';
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

const DTYPE_BYTES = { F32: 4, F16: 2, BF16: 2 } as const;
type Dtype = keyof typeof DTYPE_BYTES;

const HeaderEntry = z.strictObject({
  dtype: z.string(),
  shape: z.array(z.number().int().min(0)),
  data_offsets: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
});
const Metadata = z.record(z.string(), z.string());

interface Entry {
  name: string;
  dtype: Dtype;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Every header entry checked before anything is allocated: a known dtype, a shape whose
 * size times the dtype's bytes is exactly its byte range, ranges inside the file and not
 * overlapping. A header is data from disk: trusting it would zero-fill short tensors.
 */
function validateHeader(header: Record<string, unknown>, dataBytes: number, file: string): Entry[] {
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const r = HeaderEntry.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = [name, ...(issue?.path ?? []).map(String)].join('.');
      throw new InputError(
        { file, field: where },
        `a safetensors entry {dtype, shape, data_offsets} (${issue?.message ?? 'invalid'})`,
      );
    }
    const {
      dtype,
      shape,
      data_offsets: [begin, end],
    } = r.data;
    if (!(dtype in DTYPE_BYTES)) throw new InputError({ file, field: name }, `dtype F32, F16 or BF16 (got ${dtype})`);
    const want = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype as Dtype];
    if (end < begin || end - begin !== want) {
      throw new InputError(
        { file, field: name },
        `a byte range of ${want} bytes for ${dtype} [${shape}] (header says ${begin}..${end}, ${end - begin} bytes)`,
      );
    }
    if (end > dataBytes)
      throw new InputError(
        { file, field: name },
        `data up to byte ${end} of the data section, which has ${dataBytes}: truncated`,
      );
    entries.push({ name, dtype: dtype as Dtype, shape, begin, end });
  }
  const byStart = [...entries].sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byStart.length; i++) {
    const prev = byStart[i - 1];
    const cur = byStart[i];
    if (cur.begin < prev.end)
      throw new InputError(
        { file, field: cur.name },
        `a byte range that does not overlap "${prev.name}" (${cur.begin} < ${prev.end})`,
      );
  }
  return entries;
}

export function decodeSafetensors(
  buf: Buffer,
  file: string,
): { tensors: Map<string, NamedArray>; metadata: Record<string, string> } {
  if (buf.length < 8) throw new InputError({ file }, 'a safetensors file (too short for a header)');
  const n = Number(buf.readBigUInt64LE(0));
  if (n <= 0 || 8 + n > buf.length)
    throw new InputError(
      { file },
      `a safetensors header of ${n} bytes (file has ${buf.length}): truncated or not safetensors`,
    );
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new InputError({ file }, 'a JSON safetensors header');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    throw new InputError({ file }, 'a JSON object as the safetensors header');
  const base = 8 + n;
  const entries = validateHeader(header, buf.length - base, file);
  const meta = Metadata.safeParse(header.__metadata__ ?? {});
  if (!meta.success) throw new InputError({ file, field: '__metadata__' }, 'string values in the safetensors metadata');
  const tensors = new Map<string, NamedArray>();
  for (const e of entries) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    tensors.set(e.name, { shape: e.shape, data: toFloat32(buf.subarray(base + e.begin, base + e.end), e.dtype, size) });
  }
  return { tensors, metadata: meta.data };
}

/** `bytes` is exactly size x the dtype's bytes (checked by validateHeader). */
function toFloat32(bytes: Buffer, dtype: Dtype, size: number): Float32Array {
  const out = new Float32Array(size);
  if (dtype === 'F32') {
    // Copy into an aligned buffer: the slice may start at any byte.
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }
  const u32 = new Uint32Array(out.buffer);
  for (let i = 0; i < size; i++) {
    const h = bytes.readUInt16LE(i * 2);
    if (dtype === 'BF16') u32[i] = h << 16;
    else out[i] = halfToFloat(h);
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export function readSafetensors(file: string) {
  return decodeSafetensors(fs.readFileSync(file), file);
}

// --- Writing float16 / bfloat16 (exports): float32 rounded to nearest, ties to even. ---

export type SaveDtype = 'F32' | 'F16' | 'BF16';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** bfloat16 bits of x: the top 16 bits of its float32, rounded to nearest even; NaN stays NaN. */
export function floatToBf16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7fffffff) > 0x7f800000) return ((b >>> 16) | 0x40) & 0xffff; // quiet NaN
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** IEEE half bits of x, rounded to nearest even; overflow to ±Infinity, tiny values to subnormals or ±0. */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15; // the half's biased exponent
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign; // below half the smallest subnormal
    const m = mant | 0x800000; // implicit 1, 24 bits
    const shift = 14 - e; // 14..24: to a 10-bit subnormal mantissa
    const half = 1 << (shift - 1);
    const rest = m & ((1 << shift) - 1);
    let h = m >>> shift;
    if (rest > half || (rest === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && h & 1)) h++; // may carry into the exponent: still right
  return sign | h;
}

/** What `dtype` stores for each value of `data`, read back as float32 (for checks and tests). */
export function roundTo(data: Float32Array, dtype: SaveDtype): Float32Array {
  if (dtype === 'F32') return data.slice();
  const bytes = Buffer.alloc(data.length * 2);
  const conv = dtype === 'BF16' ? floatToBf16 : floatToHalf;
  for (let i = 0; i < data.length; i++) bytes.writeUInt16LE(conv(data[i]), i * 2);
  return toFloat32(bytes, dtype, data.length);
}

/** Bytes a tensor of `size` values takes in `dtype`. */
export function dtypeBytes(dtype: SaveDtype, size: number): number {
  return DTYPE_BYTES[dtype] * size;
}

/** A safetensors file of every tensor in `dtype` (names sorted, data 8-byte aligned as encodeSafetensors). */
export function encodeSafetensorsAs(
  tensors: Map<string, NamedArray>,
  dtype: SaveDtype,
  metadata: Record<string, string> = {},
): Buffer {
  if (dtype === 'F32') return encodeSafetensors(tensors, metadata);
  const header: Record<string, unknown> = { __metadata__: metadata };
  const names = [...tensors.keys()].sort();
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const bytes = dtypeBytes(dtype, t.data.length);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  const conv = dtype === 'BF16' ? floatToBf16 : floatToHalf;
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors.get(name)!.data;
    for (let i = 0; i < d.length; i++, pos += 2) out.writeUInt16LE(conv(d[i]), pos);
  }
  return out;
}

/** The header's __metadata__ alone (reads only the header), or null when the file is not safetensors. */
export function readSafetensorsMetadata(file: string): Record<string, string> | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const len = Buffer.alloc(8);
    if (fs.readSync(fd, len, 0, 8, 0) !== 8) return null;
    const n = Number(len.readBigUInt64LE(0));
    if (n <= 0 || n > 100_000_000) return null;
    const head = Buffer.alloc(n);
    if (fs.readSync(fd, head, 0, n, 8) !== n) return null;
    const meta = Metadata.safeParse(
      (JSON.parse(head.toString('utf8')) as { __metadata__?: unknown }).__metadata__ ?? {},
    );
    return meta.success ? meta.data : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
