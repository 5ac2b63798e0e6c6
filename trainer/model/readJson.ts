// Reading the JSON files of a model folder: a missing or unparsable file is an InputError
// naming it, never a stack trace.
import * as fs from 'node:fs';
import { InputError } from '../../protocol/errors';

/** The parsed file; `what` says what the file should be when it is missing. */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file }, `${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError({ file }, `valid JSON (${(e as Error).message})`);
  }
}

/** A JSON object (not an array, string or null). */
export function readJsonObject(file: string, what: string): Record<string, unknown> {
  const raw = readJsonFile(file, what);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new InputError({ file }, `a JSON object (${what})`);
  return raw as Record<string, unknown>;
}
