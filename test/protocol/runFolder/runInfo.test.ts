// A run folder read into the RunInfo every UI shows: state derivation (a live status whose
// process is gone is failed, with the launcher's reason), validation of what is read from
// disk, and ordering.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunConfig } from '../../../protocol/runConfig';
import { listRuns, readRunInfo as readRun, runName } from '../../../protocol/runFolder';
import { describeModel, formatParams, RunInfo } from '../../../protocol/runInfo';
import { tempDir } from '../../helpers/helpers';

function writeRun(
  runsDir: string,
  id: string,
  status: Record<string, unknown> | null,
  extra: Record<string, string> = {},
): string {
  const dir = path.join(runsDir, id);
  fs.mkdirSync(dir, { recursive: true });
  if (status) {
    const full = {
      runId: id,
      pid: 123456,
      step: 3,
      totalSteps: 10,
      startedAt: '2025-01-01T10:00:00.000Z',
      updatedAt: '2025-01-01T10:00:05.000Z',
      ...status,
    };
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
  const dir = writeRun(
    tempDir(),
    'demo-20250101-100000',
    { state: 'running' },
    { 'checkpoints/step-000002/model.safetensors': 'x' },
  );
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
  const launched = writeRun(runs, 'l-20250101-100000', null, {
    'launch.json': JSON.stringify({ pid: 99, startedAt: 't', node: 'node', args: [] }),
  });
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
  assert.deepEqual(
    listRuns(runs, { isAlive: () => true }).map((r) => r.name),
    ['live', 'new', 'old'],
  );
  assert.deepEqual(listRuns(path.join(runs, 'nope')), []);
});

test("a dead trainer shows the reason its launcher recorded, only for that launch's pid", () => {
  const launch = (pid: number) =>
    JSON.stringify({
      pid,
      startedAt: 't',
      node: 'node',
      args: [],
      failure: { message: 'did not stop within 30s of SIGTERM; its process tree was killed', at: 't' },
    });
  const killed = writeRun(
    tempDir(),
    'k-20250101-100000',
    { state: 'running', pid: 4242 },
    { 'launch.json': launch(4242) },
  );
  assert.match(readRun(killed, { isAlive: () => false }).message!, /did not stop within 30s/);
  assert.equal(
    readRun(killed, { isAlive: () => true }).state,
    'running',
    'a live trainer is running whatever launch.json says',
  );
  const other = writeRun(
    tempDir(),
    'o-20250101-100000',
    { state: 'running', pid: 5151 },
    { 'launch.json': launch(4242) },
  );
  assert.match(
    readRun(other, { isAlive: () => false }).message!,
    /exited without a final status/,
    "an older launch's failure is not this trainer's",
  );
  const never = writeRun(tempDir(), 'n-20250101-100000', null, {
    'launch.json': JSON.stringify({
      pid: 0,
      startedAt: 't',
      node: '',
      args: [],
      failure: { message: 'Node v18.0.0 is too old', at: 't' },
    }),
  });
  const r = readRun(never, { isAlive: () => true });
  assert.deepEqual([r.state, r.message], ['failed', 'Node v18.0.0 is too old']);
});

test('checkpoints are listed in step order, not text order', () => {
  const dir = writeRun(
    tempDir(),
    'big-20250101-100000',
    { state: 'stopped' },
    {
      'checkpoints/step-1000000/trainer_state.json': '{}',
      'checkpoints/step-999999/trainer_state.json': '{}',
      'checkpoints/.step-1000001.tmp-5/model.safetensors': 'x',
    },
  );
  assert.deepEqual(readRun(dir).checkpoints, ['step-999999', 'step-1000000']);
});

test('runName strips the timestamp and a same-second clash suffix', () => {
  assert.equal(runName('demo-20250101-101010'), 'demo');
  assert.equal(runName('demo-20250101-101010-2'), 'demo');
  assert.equal(runName('v2-3'), 'v2-3', 'no timestamp: the id is the name');
});

test("the model shown: a preset's name and byte-level, a folder's name and its tokenizer type, the count from status.json", () => {
  const runs = tempDir();
  const preset = writeRun(
    runs,
    'a-20250101-100000',
    { state: 'running', params: 840_000 },
    { 'config.json': JSON.stringify(RunConfig.parse({ data: { train: '/d/train.parallel.jsonl' } })) },
  );
  const r = readRun(preset, { isAlive: () => true });
  assert.deepEqual([r.keyConfig?.model, r.params, r.tokenizer], ['tiny', 840_000, 'byte-level']);
  assert.equal(describeModel(r), 'tiny · 840 k params · byte-level');

  const model = path.join(tempDir(), 'Qwen2.5-0.5B');
  fs.mkdirSync(model);
  fs.writeFileSync(path.join(model, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE', vocab: {} } }));
  const folder = writeRun(
    runs,
    'b-20250101-100000',
    { state: 'running' },
    { 'config.json': JSON.stringify(RunConfig.parse({ model: { path: model }, data: { train: '/d/t.jsonl' } })) },
  );
  const q = readRun(folder, { isAlive: () => true });
  assert.deepEqual([q.keyConfig?.model, q.params, q.tokenizer], ['Qwen2.5-0.5B', undefined, 'BPE']);
  assert.equal(describeModel(q), 'Qwen2.5-0.5B · BPE');
  assert.ok(RunInfo.safeParse(q).success && RunInfo.safeParse(r).success);

  // A folder gone since the run started: no tokenizer to name, the rest still shown.
  fs.rmSync(model, { recursive: true });
  assert.equal(readRun(folder, { isAlive: () => true }).tokenizer, undefined);
  // status.json's count is validated like the rest of it.
  const bad = writeRun(runs, 'c-20250101-100000', { state: 'running', params: -1 });
  assert.match(readRun(bad, { isAlive: () => true }).message ?? '', /params/);
});

test('formatParams: three significant digits with a unit', () => {
  assert.deepEqual([999, 840_000, 494_032_768, 1_543_714_304].map(formatParams), ['999', '840 k', '494 M', '1.54 B']);
});
