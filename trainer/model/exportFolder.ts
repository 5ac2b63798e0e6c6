// Where an export goes: a folder that is absent, empty, or a previous export (and nothing
// else, so no other file is ever overwritten), filled under a temporary name beside it and
// renamed into place, so a crash leaves either the old export or the new one. A LoRA
// run's export also holds adapter/ with the PEFT adapter files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../protocol/errors';
import { TOKENIZER_FILES } from './hfTokenizer';
import { INDEX_FILE, SINGLE_FILE } from './hfWeights';
import { ADAPTER_FILES } from './peftFiles';
import { readSafetensorsMetadata } from './safetensors';

/** The subfolder of an export holding a LoRA run's adapter files (PEFT layout). */
export const ADAPTER_DIR = 'adapter';

/** Set in every exported safetensors header (and the index's metadata): how a previous export is recognised. */
export const EXPORT_MARK = 'solar_export';

const SHARD = /^model-\d{5}-of-\d{5}\.safetensors$/;
const EXPORT_NAMES = new Set<string>([
  'config.json',
  'generation_config.json',
  SINGLE_FILE,
  INDEX_FILE,
  ...TOKENIZER_FILES,
]);

/** Whether `dir` holds only an export's files and its weights carry our mark. */
function isPreviousExport(dir: string, names: string[]): boolean {
  const files = names.filter((n) => n !== ADAPTER_DIR);
  if (!files.every((n) => EXPORT_NAMES.has(n) || SHARD.test(n))) return false;
  if (!files.every((n) => fs.statSync(path.join(dir, n)).isFile())) return false;
  if (files.length < names.length && !isAdapterDir(path.join(dir, ADAPTER_DIR))) return false;
  if (names.includes(SINGLE_FILE))
    return readSafetensorsMetadata(path.join(dir, SINGLE_FILE))?.[EXPORT_MARK] !== undefined;
  if (!names.includes(INDEX_FILE)) return false;
  try {
    const index = JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), 'utf8')) as {
      metadata?: Record<string, unknown>;
    };
    return index.metadata?.[EXPORT_MARK] !== undefined;
  } catch {
    return false;
  }
}

/** An export's adapter/: a folder of the PEFT adapter files and nothing else. */
function isAdapterDir(dir: string): boolean {
  if (!fs.statSync(dir).isDirectory()) return false;
  const adapterNames = new Set<string>(Object.values(ADAPTER_FILES));
  return fs.readdirSync(dir).every((n) => adapterNames.has(n) && fs.statSync(path.join(dir, n)).isFile());
}

/** Refuse an `out` that exists and is not empty or a previous export; never touches it. */
export function checkExportTarget(out: string): void {
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory())
    throw new InputError({ file: out }, 'a folder to export into (this is a file; nothing was written)');
  const names = fs.readdirSync(out);
  if (names.length && !isPreviousExport(out, names))
    throw new InputError(
      { file: out },
      'an empty folder or a previous export (it holds other files, which an export never overwrites)',
    );
}

/**
 * Fill a temporary folder beside `out` with `write`, then put it in `out`'s place (a
 * previous export is moved aside first and removed after). `out`'s parent is created.
 */
export function writeFolderAtomic(out: string, write: (tmp: string) => void): void {
  checkExportTarget(out);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}`;
  const old = `${out}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  try {
    write(tmp);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (fs.existsSync(out)) fs.renameSync(out, old);
  fs.renameSync(tmp, out);
  fs.rmSync(old, { recursive: true, force: true });
}
