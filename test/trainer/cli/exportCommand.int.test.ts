// `solar export` through the built CLI on a real 2-step run: the default export folder
// holds a Hugging Face model our loader reads back bit for bit, a shard size and dtype are
// honoured, a second export replaces the first, and bad input exits 2 naming the file
// while leaving other files alone.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { latestCheckpoint } from '../../../protocol/runFolder';
import { loadCheckpoint } from '../../../trainer/model/checkpoint';
import { readHfFolder } from '../../../trainer/model/hfModel';
import { CLI, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

function solar(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

let dir = '';
let runDir = '';

before(() => {
  dir = tempDir();
  runDir = path.join(dir, 'run');
  const cfg = writeConfig(dir, smallConfig({ steps: 2, evaluation: { maxNewTokens: 4 } }));
  const r = solar(['train', cfg, '--run-dir', runDir, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
});

test('solar export writes <run>/export/, which our loader reads back bit for bit', () => {
  const r = solar(['export', runDir]);
  assert.equal(r.code, 0, r.stderr);
  const out = path.join(runDir, 'export');
  assert.ok(r.stdout.includes(out), r.stdout);
  const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
  assert.equal(config.torch_dtype, 'float32');
  assert.ok(fs.existsSync(path.join(out, 'tokenizer.json')));
  const want = loadCheckpoint(latestCheckpoint(runDir)!).model;
  const hf = readHfFolder(out);
  assert.equal(hf.arrays.size, want.size);
  for (const [name, a] of hf.arrays) assert.deepEqual(a.data, want.get(name)!.data, name);
});

test('--dtype and --max-shard-size: bfloat16 shards with an index, replacing the previous export', () => {
  const out = path.join(dir, 'out');
  assert.equal(solar(['export', runDir, '--out', out]).code, 0);
  const r = solar(['export', runDir, '--out', out, '--dtype', 'bfloat16', '--max-shard-size', '100KB']);
  assert.equal(r.code, 0, r.stderr);
  const files = fs.readdirSync(out);
  assert.ok(!files.includes('model.safetensors'), 'the previous single file is gone');
  const shards = files.filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f));
  assert.ok(shards.length > 1, files.join(', '));
  assert.ok(files.includes('model.safetensors.index.json'));
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).torch_dtype, 'bfloat16');
  assert.ok(readHfFolder(out).arrays.size > 0);
});

test('bad input exits 2 naming the file, and other files are never overwritten', () => {
  const notRun = path.join(dir, 'not-a-run');
  fs.mkdirSync(notRun);
  let r = solar(['export', notRun]);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.includes(notRun), r.stderr);

  const busy = path.join(dir, 'busy');
  fs.mkdirSync(busy);
  fs.writeFileSync(path.join(busy, 'notes.txt'), 'keep me');
  r = solar(['export', runDir, '--out', busy]);
  assert.equal(r.code, 2, r.stderr);
  assert.ok(r.stderr.includes(busy), r.stderr);
  assert.deepEqual(fs.readdirSync(busy), ['notes.txt']);

  for (const args of [
    ['export'],
    ['export', runDir, '--dtype', 'int8'],
    ['export', runDir, '--max-shard-size', 'big'],
  ]) {
    r = solar(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes('solar export'), 'usage printed');
  }
});
