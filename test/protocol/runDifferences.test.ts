// The Runs tree's "key differences": only the fields that differ among the listed runs,
// labelled the way a user reads them, in a fixed order; paths by the shortest tail that
// tells them apart.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RunConfig } from '../../protocol/runConfig';
import {
  describeWithDifferences,
  keyConfigOf,
  keyDifferences,
  keySummary,
  RunKeyConfig,
  shortPaths,
} from '../../protocol/runDifferences';
import { readRunInfo, runFile } from '../../protocol/runFolder';
import { RunInfo } from '../../protocol/runInfo';
import { tempDir } from '../helpers/helpers';

function key(o: Record<string, unknown> = {}): RunKeyConfig {
  return keyConfigOf(RunConfig.parse({ data: { train: '/ws/data/train.parallel.jsonl' }, ...o }));
}

test('keyConfigOf picks the fields from a resolved config, and the result validates', () => {
  const k = keyConfigOf(
    RunConfig.parse({
      data: { train: '/a/t.jsonl', eval: '/a/e.jsonl' },
      model: { preset: 'small', maxSeqLen: 512 },
      objective: { lambda: 0.25, topK: 8 },
      languages: ['en', 'sw'],
      seed: 3,
    }),
  );
  assert.deepEqual(
    [k.lambda, k.model, k.maxSeqLen, k.train, k.eval, k.languages, k.topK, k.seed],
    [0.25, 'small', 512, '/a/t.jsonl', '/a/e.jsonl', ['en', 'sw'], 8, 3],
  );
  assert.equal(RunKeyConfig.safeParse(k).success, true);
  assert.equal(RunKeyConfig.safeParse({ ...k, lambda: '0.5' }).success, false);
});

test('only fields that differ among the runs, in display order', () => {
  const diffs = keyDifferences([
    key({ objective: { lambda: 0.5 }, model: { preset: 'tiny' } }),
    key({ objective: { lambda: 0 }, model: { preset: 'small' } }),
    key({ objective: { lambda: 0.5 }, model: { preset: 'tiny' }, data: { train: '/ws/data/other.parallel.jsonl' } }),
  ]);
  assert.deepEqual(diffs, [
    ['λ 0.5', 'tiny', 'train.parallel.jsonl'],
    ['λ 0', 'small', 'train.parallel.jsonl'],
    ['λ 0.5', 'tiny', 'other.parallel.jsonl'],
  ]);
});

test('identical configs, a single run, or runs without a config differ in nothing', () => {
  assert.deepEqual(keyDifferences([key(), key()]), [[], []]);
  assert.deepEqual(keyDifferences([key({ seed: 1 })]), [[]]);
  assert.deepEqual(keyDifferences([key(), undefined]), [[], []], 'one known config has nothing to differ from');
  assert.deepEqual(keyDifferences([key({ seed: 1 }), undefined, key({ seed: 2 })]), [['seed 1'], [], ['seed 2']]);
});

test('seeds can be ignored (groups of seeds); flags and optional fields read as words', () => {
  const a = key({ seed: 1, objective: { symmetric: true, topK: 0 } });
  const b = key({
    seed: 2,
    objective: { symmetric: false, topK: 16 },
    languages: ['en', 'sw'],
    data: { train: '/ws/data/train.parallel.jsonl', eval: '/ws/e.jsonl' },
  });
  assert.deepEqual(keyDifferences([a, b], { ignore: ['seed'] }), [
    ['eval none', 'all languages', 'full vocab', 'symmetric'],
    ['eval e.jsonl', 'en,sw', 'top-k 16', 'stop-grad pivot'],
  ]);
});

test('same file name in different folders: the shortest tail that tells them apart', () => {
  const m = shortPaths(['/ws/a/data/train.jsonl', '/ws/b/data/train.jsonl', '/ws/b/data/train.jsonl']);
  assert.deepEqual([...m.values()], ['a/data/train.jsonl', 'b/data/train.jsonl']);
  assert.deepEqual(
    keyDifferences([key({ data: { train: '/x/one/t.jsonl' } }), key({ data: { train: '/x/two/t.jsonl' } })]),
    [['one/t.jsonl'], ['two/t.jsonl']],
  );
});

test("the tree's description leads with the differences, then state and step; the tooltip line has every key field", () => {
  const run = { state: 'running', step: 40, totalSteps: 150 };
  assert.equal(describeWithDifferences(['λ 0', 'small'], run), 'λ 0 · small · running · 40/150');
  assert.equal(describeWithDifferences([], { ...run, totalSteps: 0 }), 'running');
  assert.equal(
    keySummary(key({ seed: 2, model: { preset: 'small', maxSeqLen: 512 } })),
    'λ 0.5 · small · ctx 512 · train.parallel.jsonl · 200 steps · batch 4 · lr 0.003 · seed 2',
  );
});

test('readRunInfo carries the key config of a valid config.json, and none without one', () => {
  const dir = path.join(tempDir(), 'demo-20250101-000000');
  fs.mkdirSync(dir);
  assert.equal(readRunInfo(dir).keyConfig, undefined, 'a folder the trainer has not written yet');
  const config = RunConfig.parse({ data: { train: '/ws/t.jsonl' }, objective: { lambda: 0 }, seed: 4 });
  fs.writeFileSync(runFile(dir, 'config'), JSON.stringify(config));
  const info = readRunInfo(dir);
  assert.deepEqual([info.keyConfig?.lambda, info.keyConfig?.seed, info.keyConfig?.train], [0, 4, '/ws/t.jsonl']);
  assert.equal(RunInfo.safeParse(info).success, true, 'RunInfo with keyConfig validates');
  fs.writeFileSync(runFile(dir, 'config'), '{"steps": "many"}');
  assert.equal(readRunInfo(dir).keyConfig, undefined, 'an invalid config.json is not half-read');
});
