// Runs are never lost or overwritten (issue 13): a new run never writes into a folder that
// holds something else, a resume never goes back in time or replaces a checkpoint, a run
// killed before its first checkpoint can be restarted, a killed writer's leftovers are
// swept, and a resumed run keeps what its status had reached. Real CLI processes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunStatus } from '../../../protocol/metrics';
import { latestCheckpoint, listCheckpoints } from '../../../protocol/runFolder';
import { encodeSafetensors, readSafetensors } from '../../../trainer/model/safetensors';
import { CLI, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

function solar(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}
const status = (runDir: string) =>
  RunStatus.parse(JSON.parse(fs.readFileSync(path.join(runDir, 'status.json'), 'utf8')));
/** Every file under a folder with its bytes, to prove a refused command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

/** A finished 3-step run with a checkpoint at steps 2 and 3, in its own folder. */
function finishedRun(): { dir: string; runDir: string } {
  const dir = tempDir();
  const cfg = writeConfig(
    dir,
    smallConfig({
      steps: 3,
      checkpointEvery: 2,
      evalEvery: 0,
      data: { ...(smallConfig().data as object), eval: undefined },
    }),
  );
  const runDir = path.join(dir, 'run');
  const r = solar(['train', cfg, '--run-dir', runDir, '--quiet'], dir);
  assert.equal(r.code, 0, r.stderr);
  return { dir, runDir };
}

test('numeric flags are read strictly: 0x3, 1e2 and abc are usage errors', () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig());
  for (const bad of ['0x3', '1e2', '3.0', 'abc', '0']) {
    const r = solar(['train', cfg, '--steps', bad], dir);
    assert.equal(r.code, 2, `--steps ${bad}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`--steps expects a whole number >= 1 \\(got "${bad.replace('.', '\\.')}"\\)`));
  }
  const g = solar(['data', 'generate', '--out', path.join(dir, 'g.jsonl'), '--max-operand', 'abc'], dir);
  assert.equal(g.code, 2, g.stderr);
  assert.ok(!fs.existsSync(path.join(dir, 'g.jsonl')));
  assert.ok(!fs.existsSync(path.join(dir, '.solar')));
});

test('--run-dir refuses a folder that holds anything else, and a file, changing nothing', () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig());
  const busy = path.join(dir, 'busy');
  fs.mkdirSync(path.join(busy, 'checkpoints', 'step-000001'), { recursive: true });
  fs.writeFileSync(path.join(busy, 'config.json'), '{"mine": true}');
  fs.writeFileSync(path.join(busy, 'metrics.jsonl'), 'precious\n');
  const before = snapshot(busy);
  const r = solar(['train', cfg, '--run-dir', busy], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /busy: an empty folder for the new run \(it holds/);
  assert.deepEqual(snapshot(busy), before);
  const file = path.join(dir, 'afile');
  fs.writeFileSync(file, 'x');
  const f = solar(['train', cfg, '--run-dir', file], dir);
  assert.equal(f.code, 2, f.stderr);
  assert.match(f.stderr, /afile: a folder for the new run \(this is a file\)/);
  assert.ok(!f.stderr.includes('    at '), 'no stack trace');
});

test('resume: --steps below the checkpoint is refused; a completed run keeps its checkpoint and loss; leftovers are swept', () => {
  const { dir, runDir } = finishedRun();
  const before = snapshot(path.join(runDir, 'checkpoints'));
  const back = solar(['train', '--resume', runDir, '--steps', '2'], dir);
  assert.equal(back.code, 2, back.stderr);
  assert.match(back.stderr, /at least the checkpoint's step 3 \(got 2/);
  assert.deepEqual(snapshot(path.join(runDir, 'checkpoints')), before, 'no checkpoint replaced');
  const done = status(runDir);
  // What a writer killed mid-write leaves behind.
  fs.mkdirSync(path.join(runDir, 'checkpoints', '.step-000004.tmp-999999'));
  fs.writeFileSync(path.join(runDir, 'status.json.tmp-999999'), '{');
  const again = solar(['train', '--resume', runDir, '--quiet'], dir);
  assert.equal(again.code, 0, again.stderr);
  const after = status(runDir);
  assert.equal(after.state, 'completed');
  assert.equal(after.lastCheckpoint, done.lastCheckpoint, 'lastCheckpoint survives a resume of a completed run');
  assert.equal(after.loss, done.loss);
  assert.deepEqual(snapshot(path.join(runDir, 'checkpoints')), before, 'the step-3 checkpoint is untouched');
  assert.ok(!fs.existsSync(path.join(runDir, 'checkpoints', '.step-000004.tmp-999999')));
  assert.ok(!fs.existsSync(path.join(runDir, 'status.json.tmp-999999')));
  assert.ok(!fs.existsSync(path.join(runDir, 'trainer.lock')), 'the lock is released at exit');
});

test('a run killed before its first checkpoint restarts from step 0 with its own config', () => {
  const { dir, runDir } = finishedRun();
  // As if killed at step 1: no checkpoint, status still running with a dead pid.
  fs.rmSync(path.join(runDir, 'checkpoints'), { recursive: true });
  const s = status(runDir);
  fs.writeFileSync(path.join(runDir, 'status.json'), JSON.stringify({ ...s, state: 'running', pid: 999999, step: 1 }));
  const r = solar(['train', '--resume', runDir, '--quiet'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(status(runDir).state, 'completed');
  assert.deepEqual(
    listCheckpoints(runDir).map((c) => c.step),
    [2, 3],
  );
  assert.ok(latestCheckpoint(runDir)?.endsWith('step-000003'));
  assert.match(fs.readFileSync(path.join(runDir, 'trainer.log'), 'utf8'), /restarted from step 0/);
});

test('a config that cannot fit is refused before anything starts, with the estimate', () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ batchSize: 100000 }));
  const r = solar(['train', cfg], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /field "batchSize"\): a step that fits in the wasm backend's 4 GiB heap .* needs about [\d.]+ GiB; lower batchSize/,
  );
  assert.ok(!fs.existsSync(path.join(dir, '.solar')), 'no run folder');
});

test('a checkpoint whose tensors do not fit the model is bad input on resume: exit 2, nothing written', () => {
  const { dir, runDir } = finishedRun();
  const ck = latestCheckpoint(runDir)!;
  const model = readSafetensors(path.join(ck, 'model.safetensors')).tensors;
  const name = 'model.layers.0.mlp.up_proj.weight';
  const t = model.get(name)!;
  model.set(name, { shape: [t.shape[1], t.shape[0]], data: t.data }); // transposed: same bytes, wrong shape
  fs.writeFileSync(path.join(ck, 'model.safetensors'), encodeSafetensors(model));
  const before = snapshot(runDir);
  const r = solar(['train', '--resume', runDir, '--steps', '5'], dir);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`model\\.safetensors \\(field "${name.replace(/\./g, '\\.')}"\\): shape \\[${t.shape}\\]`),
  );
  assert.deepEqual(snapshot(runDir), before, 'the run folder is untouched');
});

test('a full disk: the run ends failed with ENOSPC, the half checkpoint is removed, the previous one is intact', (t) => {
  // A 16 MiB tmpfs holds one checkpoint of the tiny model (~10 MB) but not two.
  const mnt = tempDir('solar-tmpfs-');
  const mounted =
    process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]).status === 0;
  if (!mounted) {
    t.skip('needs root to mount a small tmpfs');
    return;
  }
  try {
    const dir = tempDir();
    const cfg = writeConfig(
      dir,
      smallConfig({ steps: 3, checkpointEvery: 2, data: { ...(smallConfig().data as object), eval: undefined } }),
    );
    const runDir = path.join(mnt, 'run');
    const r = solar(['train', cfg, '--run-dir', runDir, '--quiet'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ENOSPC/);
    const s = status(runDir);
    assert.equal(s.state, 'failed');
    assert.match(s.message ?? '', /ENOSPC/, 'the first error is the one on file');
    assert.deepEqual(
      fs.readdirSync(path.join(runDir, 'checkpoints')),
      ['step-000002'],
      'no temporary folder left holding the space',
    );
    assert.equal(latestCheckpoint(runDir), path.join(runDir, 'checkpoints', 'step-000002'));
    assert.equal(
      readSafetensors(path.join(runDir, 'checkpoints', 'step-000002', 'model.safetensors')).tensors.size > 0,
      true,
    );
  } finally {
    spawnSync('umount', [mnt]);
  }
});
