// The extension's trainer launcher on the real dist/trainer.js (no VS Code): which Node
// runs it, what a bad start leaves in the run folder, graceful stop with a checkpoint,
// and that killing a trainer kills its whole process tree (no orphans).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { chooseNode, NodeChoiceError } from '../../extension/nodeRuntime';
import { explainExit, launchRun } from '../../extension/runLauncher';
import { TrainerProcess } from '../../extension/trainerProcess';
import { isProcessAlive, readRunInfo as readRun } from '../../protocol/runFolder';
import { CLI, smallConfig, TEST_NODE, tempDir, writeConfig } from '../helpers/helpers';

const NODE = TEST_NODE;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('chooseNode: setting, then PATH, then VS Code runtime (wasm/cpu only); too old is explained', () => {
  const bin = tempDir();
  fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\n', { mode: 0o755 });
  const probe = (v: string | null) => () => v;
  const base = { pathEnv: bin, execPath: '/vscode/electron', execVersion: 'v20.18.0' };
  assert.equal(chooseNode({ ...base, setting: '/opt/node22', probe: probe('v22.1.0') }).source, 'setting');
  assert.throws(
    () => chooseNode({ ...base, setting: '/opt/node18', probe: probe('v18.19.0') }),
    (e) => e instanceof NodeChoiceError && /v18\.19\.0.*Node 20 or newer/.test(e.message),
  );
  assert.throws(() => chooseNode({ ...base, setting: '/missing', probe: probe(null) }), /does not run/);
  const onPath = chooseNode({ ...base, probe: probe('v20.11.0') });
  assert.deepEqual([onPath.source, onPath.command, onPath.nativeAddons], ['path', path.join(bin, 'node'), true]);
  const oldOnPath = chooseNode({ ...base, probe: probe('v16.0.0') });
  assert.equal(oldOnPath.source, 'vscode');
  assert.equal(oldOnPath.env.ELECTRON_RUN_AS_NODE, '1');
  assert.equal(oldOnPath.nativeAddons, false);
  assert.match(oldOnPath.describe, /wasm\/cpu backends only; node on PATH .* is v16\.0\.0/);
  assert.equal(chooseNode({ ...base, pathEnv: '' }).source, 'vscode');
  assert.throws(() => chooseNode({ ...base, pathEnv: '', execVersion: 'v18.0.0' }), /No usable Node\.js/);
});

test("explainExit takes the trainer's own error line", () => {
  assert.equal(
    explainExit('loading\n\nsolar: error: a.json (field "steps"): expected number\n', { code: 2, signal: null }),
    'a.json (field "steps"): expected number',
  );
  assert.equal(explainExit('', { code: null, signal: 'SIGKILL' }), 'the trainer was killed by SIGKILL');
  assert.match(explainExit('boom\n', { code: 3, signal: null }), /code 3: boom/);
});

async function launchBad(config: Record<string, unknown>) {
  const dir = tempDir();
  const file = writeConfig(dir, config);
  const launched = await launchRun({
    trainerJs: CLI,
    chooseNode: () => NODE,
    configFile: file,
    runsDir: path.join(dir, 'runs'),
  });
  const outcome = await launched.done;
  return { launched, outcome, run: readRun(launched.dir) };
}

test('a config that fails validation: one message naming the field, the folder says failed, no process left', async () => {
  const { launched, outcome, run } = await launchBad(smallConfig({ steps: 'many' }));
  assert.equal(outcome.ok, false);
  assert.match(outcome.message!, /field "steps"/);
  assert.equal(run.state, 'failed');
  assert.equal(run.message, outcome.message);
  assert.ok(fs.readFileSync(path.join(launched.dir, 'console.log'), 'utf8').includes('solar: error:'));
  assert.ok(
    !fs.existsSync(path.join(launched.dir, 'status.json')),
    "the extension never writes the trainer's status.json",
  );
  assert.equal(isProcessAlive(launched.process!.pid), false);
});

test('a dataset path that does not exist is named in the failure', async () => {
  const { outcome, run } = await launchBad(smallConfig({ data: { train: 'nope/train.parallel.jsonl' } }));
  assert.match(outcome.message!, /field "data\.train".*does not exist/);
  assert.equal(run.state, 'failed');
});

test('a trainer that exits at once, and a Node that is refused, both leave a failed folder', async () => {
  const dir = tempDir();
  const crash = path.join(dir, 'crash.js');
  fs.writeFileSync(crash, 'process.stderr.write("solar: failed: out of luck\\n"); process.exit(1);');
  const file = writeConfig(dir, smallConfig());
  const a = await launchRun({
    trainerJs: crash,
    chooseNode: () => NODE,
    configFile: file,
    runsDir: path.join(dir, 'runs'),
  });
  assert.equal((await a.done).message, 'out of luck');
  assert.equal(readRun(a.dir).state, 'failed');
  const b = await launchRun({
    trainerJs: CLI,
    chooseNode: () => {
      throw new NodeChoiceError('Node v18.0.0 is too old');
    },
    configFile: file,
    runsDir: path.join(dir, 'runs'),
  });
  assert.equal(b.process, null);
  assert.equal((await b.done).message, 'Node v18.0.0 is too old');
  assert.equal(readRun(b.dir).message, 'Node v18.0.0 is too old');
});

test('stop is graceful: a checkpoint, state stopped, exit 0, resumable', async () => {
  const dir = tempDir();
  const file = writeConfig(dir, smallConfig({ steps: 400, name: 'stopme' }));
  const launched = await launchRun({
    trainerJs: CLI,
    chooseNode: () => NODE,
    configFile: file,
    runsDir: path.join(dir, 'runs'),
  });
  assert.match(path.basename(launched.dir), /^stopme-\d{8}-\d{6}$/);
  for (let i = 0; i < 600 && !(readRun(launched.dir).step >= 2); i++) await sleep(100);
  assert.equal(readRun(launched.dir).state, 'running');
  assert.equal(await launched.process!.stop(60_000), 'graceful');
  assert.equal((await launched.done).ok, true);
  const run = readRun(launched.dir);
  assert.equal(run.state, 'stopped');
  assert.ok(run.checkpoints.length >= 1, 'a checkpoint on disk');
  assert.equal(run.resumable, true);
});

test('disposing a trainer process kills its whole tree', async () => {
  const dir = tempDir();
  const script = path.join(dir, 'tree.js');
  // A parent that ignores SIGTERM and starts a grandchild: only a group kill reaches both.
  fs.writeFileSync(
    script,
    `const { spawn } = require('node:child_process');
process.on('SIGTERM', () => {});
const c = spawn(process.execPath, ['-e', 'process.on("SIGTERM",()=>{}); setInterval(()=>{}, 1000)'], { stdio: 'ignore' });
console.log('child ' + c.pid);
setInterval(() => {}, 1000);`,
  );
  const consoleFile = path.join(dir, 'console.log');
  const p = await TrainerProcess.start({ command: process.execPath, args: [script], cwd: dir, consoleFile });
  let child = 0;
  for (let i = 0; i < 100 && !child; i++) {
    await sleep(50);
    child = Number(/child (\d+)/.exec(fs.readFileSync(consoleFile, 'utf8'))?.[1] ?? 0);
  }
  assert.ok(child > 0 && isProcessAlive(child));
  assert.equal(await p.stop(300), 'killed', 'SIGTERM is ignored, so the grace period ends in a kill');
  for (let i = 0; i < 50 && isProcessAlive(child); i++) await sleep(50);
  assert.equal(isProcessAlive(child), false, 'the grandchild is gone too');
  p.dispose();
});
