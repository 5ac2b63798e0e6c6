// A real trainer process: SIGINT finishes the step, writes a checkpoint, marks the run
// stopped and exits 0; a second trainer on the same folder is refused while it runs;
// a crash marks it failed with the error.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunStatus } from '../../../protocol/metrics';
import { latestCheckpoint } from '../../../protocol/runFolder';
import { CLI, readEvents, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

function readStatus(runDir: string): RunStatus | null {
  try {
    return RunStatus.parse(JSON.parse(fs.readFileSync(path.join(runDir, 'status.json'), 'utf8')));
  } catch {
    return null;
  }
}

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('SIGINT: finish the step, checkpoint, status stopped, exit 0; no second trainer meanwhile', async () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ steps: 500, checkpointEvery: 1 }));
  const runDir = path.join(dir, 'run');
  const child = spawn(process.execPath, [CLI, 'train', cfg, '--run-dir', runDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await waitFor(() => (readStatus(runDir)?.step ?? 0) >= 2 && latestCheckpoint(runDir) !== null, 60_000);
  // A resume of the same folder while the first trainer runs would interleave two writers.
  const second = spawnSync(process.execPath, [CLI, 'train', '--resume', runDir], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(second.status, 2, second.stderr);
  assert.match(second.stderr, new RegExp(`trainer\\.lock.*no other trainer is using \\(pid ${child.pid} `));
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 0, stderr);
  const status = readStatus(runDir)!;
  assert.equal(status.state, 'stopped');
  assert.ok(status.step >= 2 && status.step < 500);
  const ck = latestCheckpoint(runDir);
  assert.ok(ck?.endsWith(`step-${String(status.step).padStart(6, '0')}`), `checkpoint at the stopped step, got ${ck}`);
  const last = readEvents(runDir).at(-1)!;
  assert.equal(last.kind, 'status');
  assert.match(stderr, /stopping after this step/);
});

test('a failure inside training marks the run failed with the error', async () => {
  const dir = tempDir();
  // A learning rate this large makes the loss non-finite within a few steps.
  const cfg = writeConfig(dir, smallConfig({ steps: 30, optimizer: { lr: 1e6, warmupSteps: 0, gradClip: 0 } }));
  const runDir = path.join(dir, 'run');
  const child = spawn(process.execPath, [CLI, 'train', cfg, '--run-dir', runDir, '--quiet'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  assert.equal(code, 1, stderr);
  const status = readStatus(runDir)!;
  assert.equal(status.state, 'failed');
  assert.match(status.message ?? '', /loss became/);
  assert.match(fs.readFileSync(path.join(runDir, 'trainer.log'), 'utf8'), /error: /);
});
