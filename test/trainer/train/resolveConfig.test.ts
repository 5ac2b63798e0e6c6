// Config checks that need the datasets: a run that cannot train (no response tokens) or
// whose config contradicts itself is refused before any run folder exists.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { ParallelItem } from '../../../protocol/dataset';
import { InputError } from '../../../protocol/errors';
import { generateItems } from '../../../trainer/data/generate/generate';
import { resolveRun } from '../../../trainer/train/resolveConfig';
import { smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

const dir = tempDir('solar-resolve-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function dataset(name: string, items: ParallelItem[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  return file;
}

const withResponses = generateItems({ count: 6, seed: 1, languages: ['en', 'sw', 'yo'] });
const noResponses = generateItems({ count: 6, seed: 1, languages: ['en', 'sw', 'yo'], withResponses: false });
const train = dataset('train.parallel.jsonl', withResponses);

function resolve(overrides: Record<string, unknown>) {
  return resolveRun(
    writeConfig(dir, smallConfig({ languages: ['en', 'sw'], data: { train }, ...overrides }), 'c.solar.json'),
  );
}

function expectConfigError(overrides: Record<string, unknown>, field: string, ...patterns: RegExp[]): void {
  assert.throws(
    () => resolve(overrides),
    (e: unknown) => {
      assert.ok(e instanceof InputError, `an InputError, got ${String(e)}`);
      assert.equal(e.location.file, path.join(dir, 'c.solar.json'));
      assert.equal(e.location.field, field, e.message);
      for (const p of patterns) assert.match(e.message, p);
      return true;
    },
  );
}

test('a training set without response tokens is refused, whatever lambda', () => {
  const answersOnly = dataset('mgsm.parallel.jsonl', noResponses);
  for (const lambda of [0.5, 0]) {
    expectConfigError(
      { data: { train: answersOnly }, objective: { lambda } },
      'data.train',
      /no response tokens in .*mgsm\.parallel\.jsonl for the languages trained \(en, sw\)/,
      /--responses answer/,
    );
  }
});

test('a trained language without any response is refused by name', () => {
  const swBare = withResponses.map((it) => ({ ...it, langs: { ...it.langs, sw: { prompt: it.langs.sw.prompt } } }));
  const file = dataset('sw-bare.parallel.jsonl', swBare);
  expectConfigError(
    { data: { train: file } },
    'data.train',
    /no response tokens in .*sw-bare\.parallel\.jsonl for "sw"/,
  );
  // Not training sw is fine.
  assert.deepEqual(resolve({ data: { train: file }, languages: ['en', 'yo'] }).config.languages, ['en', 'yo']);
});

test('duplicate languages are a config error', () => {
  expectConfigError({ languages: ['en', 'sw', 'sw'] }, 'languages', /"sw" is listed twice/);
});

test('lowResource languages that are not trained are a config error', () => {
  expectConfigError(
    { lowResource: ['sw', 'yo'] },
    'lowResource',
    /languages that are trained \(en, sw\)/,
    /not trained: yo/,
  );
  expectConfigError({ lowResource: ['sw', 'sw'] }, 'lowResource', /"sw" is listed twice/);
});

test('an eval set without the pivot is a config error naming data.eval', () => {
  const swOnly = dataset(
    'eval-sw.parallel.jsonl',
    withResponses.map((it) => ({ ...it, langs: { sw: it.langs.sw } })),
  );
  expectConfigError({ data: { train, eval: swOnly } }, 'data.eval', /pivot "en"/, /eval-sw\.parallel\.jsonl/);
});

test('a sound config still resolves, languages defaulting to every language of the data', () => {
  const r = resolve({ languages: undefined, lowResource: ['yo'], data: { train, eval: train } });
  assert.deepEqual(r.config.languages, ['en', 'sw', 'yo']);
  assert.equal(r.train.length, 6);
});
