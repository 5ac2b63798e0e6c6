// Reading data files strictly as UTF-8. Node's 'utf8' decoding replaces every invalid
// byte with U+FFFD without a word, so a file saved as Latin-1 or Windows-1252, or cut
// in the middle of a character, would train and score on replacement characters. Here
// the first invalid byte is an InputError naming its line (and, where the caller can
// tell, the field it sits in).
import * as fs from 'node:fs';
import { InputError } from '../../protocol/errors';

// fatal: throw instead of replacing; the default ignoreBOM=false drops a leading BOM.
const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Byte offset of the first byte that does not start a well-formed UTF-8 sequence
 * (Unicode table 3-7: no overlongs, no surrogates, nothing above U+10FFFF), or -1.
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let trail: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) trail = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      trail = 2;
      if (c === 0xe0) lo = 0xa0; // overlong
      if (c === 0xed) hi = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      trail = 3;
      if (c === 0xf0) lo = 0x90; // overlong
      if (c === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= trail; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += trail + 1;
  }
  return -1;
}

/** Where a bad byte sits: its 1-based line, and the line's bytes with the bad byte's offset in them. */
export interface Utf8Fault {
  line: number;
  lineBytes: Uint8Array;
  column: number;
  byte: number;
  /** The whole file, for callers that need its header to name a column. */
  fileBytes: Uint8Array;
}

function locate(bytes: Uint8Array, offset: number): Utf8Fault {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  let end = bytes.indexOf(0x0a, offset);
  if (end < 0) end = bytes.length;
  return { line, lineBytes: bytes.subarray(start, end), column: offset - start, byte: bytes[offset], fileBytes: bytes };
}

/**
 * Decode `bytes` as UTF-8 or throw an InputError naming the file, the line and the
 * bad byte; `fieldAt` may name the field that holds it (e.g. a JSON path).
 */
export function decodeUtf8(
  bytes: Uint8Array,
  file: string,
  fieldAt?: (fault: Utf8Fault) => string | undefined,
): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Located below; the decoder's own error says neither where nor which byte.
  }
  const offset = firstInvalidUtf8(bytes);
  if (offset < 0) throw new InputError({ file }, 'UTF-8 text (the file is not valid UTF-8)');
  const fault = locate(bytes, offset);
  const hex = `0x${fault.byte.toString(16).padStart(2, '0')}`;
  throw new InputError(
    { file, line: fault.line, field: fieldAt?.(fault) },
    `UTF-8 text (byte ${hex} at byte ${fault.column + 1} of the line is not valid UTF-8; ` +
      'was the file saved in another encoding such as Latin-1 or Windows-1252? Re-save it as UTF-8)',
  );
}

/** Read a whole file as strict UTF-8; a missing or unreadable file is an InputError saying what it should have been. */
export function readUtf8File(file: string, what: string, fieldAt?: (fault: Utf8Fault) => string | undefined): string {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new InputError({ file }, `${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return decodeUtf8(bytes, file, fieldAt);
}

// U+10FFFF is a noncharacter: it marks where the bad byte was without colliding with real text.
const MARK = '\u{10FFFF}';
const lenient = new TextDecoder();

/** For JSON records: the dotted path of the string (or the object whose key) holding the bad byte, when the line still parses. */
export function jsonFieldAt(fault: Utf8Fault): string | undefined {
  const { lineBytes: b, column } = fault;
  const marked = new Uint8Array([
    ...b.subarray(0, column),
    ...new TextEncoder().encode(MARK),
    ...b.subarray(column + 1),
  ]);
  let value: unknown;
  try {
    value = JSON.parse(lenient.decode(marked));
  } catch {
    return undefined;
  }
  return markedPath(value, []);
}

function markedPath(value: unknown, at: string[]): string | undefined {
  if (typeof value === 'string') return value.includes(MARK) ? at.join('.') : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes(MARK)) return at.join('.') || undefined;
    const found = markedPath(child, [...at, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * For tab-separated files: the name of the column holding the bad byte, from `names`
 * or, when none are given, from the file's header row.
 */
export function tsvFieldAt(names?: readonly string[]): (fault: Utf8Fault) => string | undefined {
  return (fault) => {
    const column = fault.lineBytes.subarray(0, fault.column).filter((x) => x === 0x09).length;
    if (names) return names[column];
    if (fault.line === 1) return undefined;
    const end = fault.fileBytes.indexOf(0x0a);
    const header = lenient.decode(fault.fileBytes.subarray(0, end < 0 ? undefined : end)).replace(/^\uFEFF/, '');
    return header.replace(/\r$/, '').split('\t')[column]?.trim() || undefined;
  };
}
