// Shared helpers of the importer tests: fixture paths, temp files, InputError assertions.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { InputError } from '../../../../protocol/errors';

export const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'benchmarks');
export const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-import-'));
  made.push(dir);
  return dir;
}

/** Write `files` (relative path -> content) into a fresh temp dir and return their paths, in order. */
export function writeFiles(files: Record<string, string | Uint8Array>): string[] {
  const dir = tmpDir();
  return Object.entries(files).map(([name, content]) => {
    const p = path.join(dir, name);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
    return p;
  });
}

/** Assert `fn` throws an InputError whose message matches every pattern. */
export function inputError(fn: () => unknown, ...patterns: RegExp[]): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${String(caught)}`);
  for (const p of patterns) assert.match(caught.message, p);
  return caught;
}
