// safetensors, the Hugging Face tensor file: u64-LE header length, a JSON header
// {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {..}}, then raw
// little-endian data. Only F32 is written; F32, F16 and BF16 are read (as float32).
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
