// The extension's view of run folders: state derivation (a live status whose process is
// gone is failed), validation of what is read from disk, ordering, and the metrics tail.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { MetricsTail } from '../../extension/metricsTail';
import { listRuns, readRun, runName } from '../../extension/runFolder';
import { tempDir } from '../helpers/helpers';

function writeRun(runsDir: string, id: string, status: Record<string, unknown> | null, extra: Record<string, string> = {}): string {
  const dir = path.join(runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  if (status) {
    const full = { runId: id, pid: 123456, step: 3, totalSteps: 10, startedAt: '2025-01-01T10:00:00.000Z', updatedAt: '2025-01-01T10:00:05.000Z', ...status };
    fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(full));
  }
  for (const [f, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

test('a running status whose process is alive stays running', () => {
  const dir = writeRun(tempDir(), 'demo-20250101-100000', { state: 'running' });
  const r = readRun(dir, { isAlive: () => true });
  assert.equal(r.state, 'running');
  assert.equal(r.name, 'demo');
  assert.equal(r.step, 3);
});

test('a running status whose process died is shown as failed, with why', () => {
  const dir = writeRun(tempDir(), 'demo-20250101-100000', { state: 'running' }, { 'checkpoints/step-000002/model.safetensors': 'x' });
  const r = readRun(dir, { isAlive: () => false });
  assert.equal(r.state, 'failed');
  assert.match(r.message!, /exited without a final status at step 3/);
  assert.equal(r.resumable, true, 'a failed run with a checkpoint can be resumed');
});

test('the real pid check: our own pid is alive, a finished child is not', () => {
  const dir = writeRun(tempDir(), 'a-20250101-100000', { state: 'running', pid: process.pid });
  assert.equal(readRun(dir).state, 'running');
  const gone = writeRun(tempDir(), 'b-20250101-100000', { state: 'starting', pid: 2 ** 22 + 7 });
  assert.equal(readRun(gone).state, 'failed');
});

test('final states are taken as written', () => {
  const runs = tempDir();
  const stopped = readRun(writeRun(runs, 's-20250101-100000', { state: 'stopped' }), { isAlive: () => false });
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.resumable, false, 'no checkpoint, nothing to resume');
  assert.equal(readRun(writeRun(runs, 'c-20250101-100000', { state: 'completed' })).state, 'completed');
});

test('an invalid status.json is a problem, not an exception', () => {
  const dir = writeRun(tempDir(), 'x-20250101-100000', null, { 'status.json': JSON.stringify({ state: 'flying' }) });
  const r = readRun(dir, { now: Date.now() + 60_000 });
  assert.equal(r.state, 'failed');
  assert.match(r.message!, /status\.json: field/);
});

test('no status yet: starting while young or while the launched process lives, failed after', () => {
  const runs = tempDir();
  const young = writeRun(runs, 'y-20250101-100000', null);
  assert.equal(readRun(young).state, 'starting');
  assert.equal(readRun(young, { now: Date.now() + 60_000 }).state, 'failed');
  const launched = writeRun(runs, 'l-20250101-100000', null, { 'launch.json': JSON.stringify({ pid: 99, startedAt: 't', node: 'node', args: [] }) });
  assert.equal(readRun(launched, { isAlive: () => true }).state, 'starting');
  const dead = readRun(launched, { isAlive: () => false });
  assert.equal(dead.state, 'failed');
  assert.match(dead.message!, /before writing status\.json/);
});

test('listRuns: active first, then newest; a missing folder lists nothing', () => {
  const runs = tempDir();
  writeRun(runs, 'old-20250101-100000', { state: 'completed', startedAt: '2025-01-01T10:00:00Z' });
  writeRun(runs, 'new-20250102-100000', { state: 'stopped', startedAt: '2025-01-02T10:00:00Z' });
  writeRun(runs, 'live-20240101-100000', { state: 'running', startedAt: '2024-01-01T10:00:00Z' });
  assert.deepEqual(listRuns(runs, { isAlive: () => true }).map((r) => r.name), ['live', 'new', 'old']);
  assert.deepEqual(listRuns(path.join(runs, 'nope')), []);
  assert.equal(runName('my.run-x-20250101-101010'), 'my.run-x');
});

test('MetricsTail reads only appended bytes, waits for whole lines, skips invalid ones', () => {
  const file = path.join(tempDir(), 'metrics.jsonl');
  const tail = new MetricsTail(file);
  assert.deepEqual(tail.poll(), [], 'no file yet');
  const train = { kind: 'train', step: 1, time: 't', loss: 2, ce: { en: 2 }, align: {}, lr: 0.001, tokensPerSec: 10 };
  const line = JSON.stringify(train);
  fs.writeFileSync(file, line + '\n' + line.slice(0, 10));
  assert.equal(tail.poll().length, 1);
  fs.appendFileSync(file, line.slice(10).replace('"step":1', '"step":2') + '\nnot json\n{"kind":"train","step":-1}\n');
  const next = tail.poll();
  assert.equal(next.length, 1);
  assert.equal(tail.lastTrain?.step, 2, 'the partial line, completed by the append');
  assert.equal(tail.invalidLines, 2);
  fs.appendFileSync(file, JSON.stringify({ kind: 'eval', step: 5, accuracy: { en: 0.5, sw: 0.1 } }) + '\n' + JSON.stringify({ kind: 'eval', step: 9, accuracy: { en: 0.2, sw: 0.0 } }) + '\n');
  tail.poll();
  assert.ok(Math.abs(tail.bestAccuracy! - 0.3) < 1e-9, 'best mean accuracy over evals');
  fs.writeFileSync(file, line + '\n');
  assert.equal(tail.poll().length, 1, 'a truncated file is read again from the start');
});
