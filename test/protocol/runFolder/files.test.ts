// Creating run folders and holding them: unique names for runs started in the same second
// (also when two processes race), atomic writes, and the lock that keeps a second trainer
// out while letting a crashed one's stale lock go.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { acquireRunLock, createRunDir, latestCheckpoint, runFile, writeFileAtomic } from '../../../protocol/runFolder';
import { tempDir } from '../../helpers/helpers';

const NOW = new Date('2026-11-23T12:15:18Z');

test('createRunDir: <name>-<timestamp>, then -2, -3 in the same second', () => {
  const runs = path.join(tempDir(), 'nested', 'runs');
  const names = [1, 2, 3].map(() => path.basename(createRunDir(runs, 'demo', NOW)));
  assert.deepEqual(names, ['demo-20261123-121518', 'demo-20261123-121518-2', 'demo-20261123-121518-3']);
  assert.ok(names.every((n) => fs.statSync(path.join(runs, n)).isDirectory()));
});

test('latestCheckpoint: the highest complete step, numerically', () => {
  const dir = tempDir();
  for (const name of ['step-999999', 'step-1000000', 'step-000005']) {
    fs.mkdirSync(runFile(dir, 'checkpoints') + `/${name}`, { recursive: true });
    fs.writeFileSync(path.join(runFile(dir, 'checkpoints'), name, 'trainer_state.json'), '{}');
  }
  fs.mkdirSync(path.join(runFile(dir, 'checkpoints'), 'step-2000000'), { recursive: true }); // no trainer_state: incomplete
  assert.equal(path.basename(latestCheckpoint(dir)!), 'step-1000000');
  assert.equal(latestCheckpoint(tempDir()), null);
});

test('writeFileAtomic leaves no temporary file behind', () => {
  const dir = tempDir();
  writeFileAtomic(path.join(dir, 'a.json'), '{"x":1}\n');
  assert.deepEqual(fs.readdirSync(dir), ['a.json']);
});

test("the run lock: a live holder keeps others out, a dead holder's lock is taken over, release frees it", () => {
  const dir = tempDir();
  const lock = acquireRunLock(dir);
  // Another live process holds it: simulate by claiming our parent pid wrote it.
  fs.writeFileSync(runFile(dir, 'lock'), JSON.stringify({ pid: process.ppid, host: os.hostname(), since: 't' }));
  assert.throws(
    () => acquireRunLock(dir),
    (e) => e instanceof InputError && /pid \d+ .* has held it since t; stop it first/.test(e.message),
  );
  // A process that has exited: its lock is stale.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  fs.writeFileSync(runFile(dir, 'lock'), JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), since: 't' }));
  const taken = acquireRunLock(dir);
  lock.release(); // the first lock is no longer ours: releasing it must not remove the new holder's
  assert.ok(fs.existsSync(runFile(dir, 'lock')));
  taken.release();
  assert.ok(!fs.existsSync(runFile(dir, 'lock')));
});
