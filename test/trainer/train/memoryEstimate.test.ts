// The memory estimate refuses configs that would die inside the wasm heap. It is bounded
// from the data (the items with most languages, the longest row) and calibrated against
// heaps measured after real steps: a wrong coefficient, a dropped term or a bound taken
// from the wrong items shows here.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { ParallelItem } from '../../../protocol/dataset';
import { RunConfig } from '../../../protocol/runConfig';
import { readHfModelConfig } from '../../../trainer/model/hfModel';
import { adapterShapes, withLora } from '../../../trainer/model/lora';
import { trainableNames } from '../../../trainer/train/freeze';
import { estimateTrainingMemory, largestBatch, WASM_HEAP_BYTES } from '../../../trainer/train/memoryEstimate';
import { resolveRun } from '../../../trainer/train/resolveConfig';
import { EXAMPLES } from '../../helpers/helpers';
import { HF_FIXTURES } from '../../helpers/hfFixture';

const LANGS = ['en', 'es', 'fr', 'zh', 'sw', 'yo', 'te'];
const MiB = 2 ** 20;

function config(preset: 'tiny' | 'small', batchSize: number, maxSeqLen: number): RunConfig {
  return RunConfig.parse({
    model: { preset, maxSeqLen },
    data: { train: 'x.parallel.jsonl' },
    languages: LANGS,
    batchSize,
    backend: 'wasm',
  });
}

function item(id: string, langs: string[], chars: number): ParallelItem {
  const text = 'a'.repeat(chars);
  return { id, answer: '1', langs: Object.fromEntries(langs.map((l) => [l, { prompt: text, response: text }])) };
}

test('the largest batch takes the items with most languages and the longest row, capped at maxSeqLen', () => {
  const items = [
    item('a', ['en', 'sw'], 10),
    item('b', LANGS, 20),
    item('c', ['en', 'es', 'fr'], 100),
    item('d', ['en'], 5),
  ];
  // <bos> p <sep> r <eos> is 2·chars + 3 tokens; inputs drop the last: 2·chars + 2.
  assert.deepEqual(largestBatch(config('tiny', 2, 512), items), { rows: 7 + 3, tokens: 202 });
  assert.deepEqual(largestBatch(config('tiny', 1, 512), items), { rows: 7, tokens: 202 });
  // A row cut to maxSeqLen tokens feeds maxSeqLen - 1 inputs.
  assert.deepEqual(largestBatch(config('tiny', 2, 128), items), { rows: 10, tokens: 127 });
  // Languages the config does not train bring no rows.
  const onlyEn = { ...config('tiny', 2, 512), languages: ['en'] };
  assert.deepEqual(largestBatch(onlyEn, items), { rows: 2, tokens: 202 });
});

// Wasm heap after two SOLAR steps with every row at full length, measured 2026-11-24
// (after the tape's clones began sharing memory and AdamW's moments left the heap).
const MEASURED = [
  { preset: 'tiny', rows: 7, tokens: 512, mib: 995 },
  { preset: 'tiny', rows: 14, tokens: 256, mib: 754 },
  { preset: 'tiny', rows: 14, tokens: 512, mib: 1927 },
  { preset: 'tiny', rows: 28, tokens: 256, mib: 1439 },
  { preset: 'tiny', rows: 28, tokens: 512, mib: 3774 },
  { preset: 'small', rows: 14, tokens: 256, mib: 2114 },
] as const;

for (const m of MEASURED) {
  test(`the estimate errs high but near the measured heap: ${m.preset}, ${m.rows} rows x ${m.tokens} tokens`, () => {
    const e = estimateTrainingMemory(config(m.preset, 1, 512), { rows: m.rows, tokens: m.tokens });
    const ratio = e.bytes / (m.mib * MiB);
    assert.ok(ratio >= 1 && ratio <= 1.25, `estimate ${Math.round(e.bytes / MiB)} MiB vs measured ${m.mib} MiB`);
  });
}

test('every shipped example config fits the wasm heap with its own data', () => {
  for (const name of fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.solar.json'))) {
    const { config: c, train } = resolveRun(path.join(EXAMPLES, name));
    const e = estimateTrainingMemory({ ...c, backend: 'wasm' }, largestBatch(c, train));
    assert.ok(e.bytes <= WASM_HEAP_BYTES, `${name}: ${Math.round(e.bytes / MiB)} MiB`);
  }
});

test('a batch past the wasm heap (demo data, batch 8 at 512 tokens: twice the measured 3.7 GiB of batch 4) is refused', () => {
  const { config: c, train } = resolveRun(path.join(EXAMPLES, 'demo.solar.json'));
  const big = { ...c, batchSize: 8, backend: 'wasm' as const };
  assert.ok(estimateTrainingMemory(big, largestBatch(big, train)).bytes > WASM_HEAP_BYTES);
});

// A pretrained folder's sizes: the tiny Qwen2 fixture (test/fixtures/hf/qwen2, 151936-token
// vocabulary, so the logits dominate). Wasm heap after two SOLAR steps, every row at full
// length, measured 2026-11-24 (scratch probe as above, on the fixture's weights).
const PRETRAINED_MEASURED = [
  { rows: 2, tokens: 64, freezeEmbeddings: false, mib: 601 },
  { rows: 4, tokens: 64, freezeEmbeddings: false, mib: 1069 },
  { rows: 2, tokens: 128, freezeEmbeddings: false, mib: 1070 },
  { rows: 2, tokens: 64, freezeEmbeddings: true, mib: 504 },
] as const;

for (const m of PRETRAINED_MEASURED) {
  test(`a pretrained model's estimate errs high but within half again of the heap: ${m.rows} rows x ${m.tokens} tokens${m.freezeEmbeddings ? ', embeddings frozen' : ''}`, () => {
    const mc = readHfModelConfig(path.join(HF_FIXTURES, 'qwen2'));
    const c = RunConfig.parse({ model: { path: 'qwen2', maxSeqLen: 512 }, data: { train: 'x' }, backend: 'wasm' });
    const trained = trainableNames(mc, { freezeEmbeddings: m.freezeEmbeddings });
    const e = estimateTrainingMemory(c, { rows: m.rows, tokens: m.tokens }, mc, trained);
    const ratio = e.bytes / (m.mib * MiB);
    assert.ok(ratio >= 1 && ratio <= 1.5, `estimate ${Math.round(e.bytes / MiB)} MiB vs measured ${m.mib} MiB`);
  });
}

test('frozen parameters cost their weights only: the estimate drops by their gradients and moments', () => {
  const mc = readHfModelConfig(path.join(HF_FIXTURES, 'qwen2'));
  const c = RunConfig.parse({ model: { path: 'qwen2' }, data: { train: 'x' }, backend: 'wasm' });
  const shape = { rows: 2, tokens: 64 };
  const all = estimateTrainingMemory(c, shape, mc);
  const frozen = estimateTrainingMemory(c, shape, mc, trainableNames(mc, { freezeEmbeddings: true }));
  // 151936 x 32 embedding weights: 8 bytes each saved (12 trained on wasm, 4 frozen), times the margin.
  assert.equal(Math.round(all.bytes - frozen.bytes), Math.round(151936 * 32 * 8 * 1.1));
  // Off wasm the moments are backend tensors: 20 bytes each (24 trained, 4 frozen).
  const cpu = { ...c, backend: 'cpu' as const };
  const saved =
    estimateTrainingMemory(cpu, shape, mc).bytes -
    estimateTrainingMemory(cpu, shape, mc, trainableNames(mc, { freezeEmbeddings: true })).bytes;
  assert.equal(Math.round(saved), Math.round(151936 * 32 * 20 * 1.1));
});

test('with lora the base costs its weights only and the adapters their weights, gradients and moments', () => {
  const mc = readHfModelConfig(path.join(HF_FIXTURES, 'qwen2'));
  const c = RunConfig.parse({ model: { path: 'qwen2', lora: { rank: 4 } }, data: { train: 'x' }, backend: 'wasm' });
  const shape = { rows: 2, tokens: 64 };
  const withAdapters = withLora(mc, c.model);
  const adapters = adapterShapes(withAdapters).reduce((n, [, s]) => n + s[0] * s[1], 0);
  assert.ok(adapters > 0);
  const frozen = estimateTrainingMemory(c, shape, mc, []);
  const lora = estimateTrainingMemory(c, shape, withAdapters, trainableNames(withAdapters, c.model));
  // Everything frozen, plus the adapters at 12 bytes each on wasm (weights, gradients, a transient), times the margin.
  assert.equal(Math.round(lora.bytes - frozen.bytes), Math.round(adapters * 12 * 1.1));
  assert.ok(lora.bytes < estimateTrainingMemory(c, shape, mc).bytes);
});
