// `solar data score` as a user runs it: the built CLI on a real two-step run and the
// example eval set. The sidecar validates, covers every item and language, carries the
// hashes that tell a stale sidecar, and the dataset is never written; bad input exits 2
// naming the file and writes nothing; SIGTERM stops without leaving a sidecar behind.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { contentHash, itemHash, readScores, sidecarPath } from '../../../protocol/datasetScoresFile';
import { CLI, EXAMPLES, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

const solar = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });
let dir = '';
let runDir = '';
let data = '';
let original = '';

before(() => {
  dir = tempDir();
  // A context that holds every row of the eval set (Telugu rows run to ~470 bytes).
  const cfg = writeConfig(dir, smallConfig({ steps: 2, model: { preset: 'tiny', maxSeqLen: 512 } }));
  runDir = path.join(dir, 'run');
  const trained = solar(['train', cfg, '--run-dir', runDir, '--quiet']);
  assert.equal(trained.status, 0, trained.stderr);
  data = path.join(dir, 'eval.parallel.jsonl');
  fs.copyFileSync(path.join(EXAMPLES, 'data', 'eval.parallel.jsonl'), data);
  original = fs.readFileSync(data, 'utf8');
});

test('scores every item and language of the example eval set into a valid sidecar next to it', () => {
  const r = solar(['data', 'score', runDir, data]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(data, 'utf8'), original, 'the dataset is never written');
  const scores = readScores(sidecarPath(data));
  const lines = original.split('\n').filter((l) => l.trim());
  const items = lines.map((l) => JSON.parse(l) as { id: string; langs: Record<string, unknown> });
  assert.equal(scores.data.hash, contentHash(original));
  assert.equal(scores.data.items, 60);
  assert.equal(scores.run.step, 2);
  assert.equal(scores.run.dir, runDir);
  assert.equal(scores.pivot, 'en');
  assert.deepEqual(scores.languages, ['en', 'es', 'fr', 'sw', 'te', 'yo', 'zh'], 'every language in the data');
  assert.deepEqual(
    scores.items.map((it) => it.id),
    items.map((it) => it.id),
  );
  scores.items.forEach((it, k) => {
    assert.equal(it.line, k + 1);
    assert.equal(it.hash, itemHash(lines[k]));
    assert.deepEqual(Object.keys(it.langs).sort(), Object.keys(items[k].langs).sort(), it.id);
    assert.equal(it.langs.en.distanceSkipped, 'pivot');
    for (const [lang, s] of Object.entries(it.langs)) {
      // The example set has responses everywhere and fits the context: every figure is a number.
      assert.ok(s.loss! > 0 && s.loss! < 10, `${it.id}/${lang} loss ${s.loss}`);
      if (lang !== 'en') assert.ok(s.distance! >= 0 && s.distance! <= 2, `${it.id}/${lang} distance ${s.distance}`);
    }
  });
  // Machine-readable progress for the extension, ending at every row.
  const progress = [...r.stderr.matchAll(/^progress (\d+)\/(\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
  const rows = items.reduce((n, it) => n + Object.keys(it.langs).length, 0);
  assert.deepEqual(progress.at(-1), [rows, rows]);
  assert.match(r.stdout, /wrote .*eval\.parallel\.jsonl\.scores\.json: 60 items in 7 languages/);
  assert.match(r.stdout, /farthest from en: eval-\d+ \w+ \d\.\d{3}/);
});

test('--changed-only scores only new and edited items; the others keep their figures', () => {
  const file = path.join(dir, 'edited.parallel.jsonl');
  const lines = original.split('\n');
  // Item 3 edited, an item added at the end.
  const edited = JSON.parse(lines[2]);
  edited.langs.sw.response = `Sasa, hesabu: ${edited.langs.sw.response}`;
  lines[2] = JSON.stringify(edited);
  const added = JSON.parse(lines[0]);
  added.id = 'eval-new';
  lines.splice(60, 0, JSON.stringify(added));
  fs.writeFileSync(file, lines.join('\n'));
  assert.notEqual(lines[2], original.split('\n')[2], 'the edit took');
  fs.copyFileSync(sidecarPath(data), sidecarPath(file));
  const before = readScores(sidecarPath(file));
  const r = solar(['data', 'score', runDir, file, '--changed-only']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /scoring 2 of 61 items/);
  assert.match(r.stdout, /\(59 unchanged items kept their scores\)/);
  const after = readScores(sidecarPath(file));
  assert.equal(after.items.length, 61);
  assert.equal(after.data.hash, contentHash(fs.readFileSync(file, 'utf8')));
  after.items.forEach((it, k) => {
    if (k === 2 || k === 60) return;
    assert.deepEqual(it, before.items[k], `${it.id} kept as scored`);
  });
  assert.notEqual(after.items[2].hash, before.items[2].hash);
  assert.notEqual(
    after.items[2].langs.sw.distance,
    before.items[2].langs.sw.distance,
    'the edited prompt was scored again',
  );
  for (const [lang, s] of Object.entries(after.items[0].langs)) {
    const copy = after.items[60].langs[lang];
    assert.ok(Math.abs(copy.loss! - s.loss!) < 1e-4, `a copy of item 1 scores as item 1 does (${lang})`);
    assert.ok(Math.abs((copy.distance ?? 0) - (s.distance ?? 0)) < 1e-5);
  }
  // Another checkpoint's scores are never mixed in: everything is scored again.
  const other = solar(['data', 'score', runDir, file, '--changed-only', '--languages', 'en,sw']);
  assert.equal(other.status, 0, other.stderr);
  assert.match(other.stderr, /scoring every item: .* was scored with another checkpoint or settings/);
  assert.match(other.stderr, /scoring 61 of 61 items/);
});

test('--out and --languages: only the languages asked for, wherever the sidecar is asked to go', () => {
  const out = path.join(dir, 'picked.json');
  const r = solar([
    'data',
    'score',
    path.join(runDir, 'checkpoints', 'step-000002'),
    data,
    '--out',
    out,
    '--languages',
    'en,sw',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const scores = readScores(out);
  assert.deepEqual(scores.languages, ['en', 'sw']);
  assert.ok(scores.items.every((it) => Object.keys(it.langs).every((l) => l === 'en' || l === 'sw')));
  assert.equal(scores.run.checkpoint, path.join(runDir, 'checkpoints', 'step-000002'));
});

test('bad input exits 2 naming the file and writes nothing', () => {
  const notRun = solar(['data', 'score', dir, data, '--out', path.join(dir, 'x.json')]);
  assert.equal(notRun.status, 2);
  assert.match(
    notRun.stderr,
    new RegExp(`${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: a run folder with a checkpoint`),
  );
  const broken = path.join(dir, 'broken.parallel.jsonl');
  fs.writeFileSync(broken, `${original.split('\n')[0]}\n{"id": "b", oops\n`);
  const bad = solar(['data', 'score', runDir, broken]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /broken\.parallel\.jsonl:2: one JSON object per line/);
  const missing = solar(['data', 'score', runDir, path.join(dir, 'nope.parallel.jsonl')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /nope\.parallel\.jsonl: a readable dataset file \(ENOENT\)/);
  const usage = solar(['data', 'score', runDir]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /data score needs a run folder/);
  assert.ok(!fs.existsSync(path.join(dir, 'x.json')));
  assert.ok(!fs.existsSync(sidecarPath(broken)));
});

test('SIGTERM stops between passes: exit 143, no sidecar and no temporary file left', async () => {
  const copy = path.join(dir, 'stopped.parallel.jsonl');
  fs.copyFileSync(data, copy);
  const child = spawn(process.execPath, [CLI, 'data', 'score', runDir, copy], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (/^progress /m.test(stderr)) resolve();
    });
  });
  child.kill('SIGTERM');
  assert.equal(await exited, 143, stderr);
  assert.match(stderr, /SIGTERM: stopping after this pass; nothing is written/);
  assert.ok(!fs.existsSync(sidecarPath(copy)));
  assert.deepEqual(
    fs.readdirSync(dir).filter((f) => f.startsWith('stopped.')),
    ['stopped.parallel.jsonl'],
  );
});
