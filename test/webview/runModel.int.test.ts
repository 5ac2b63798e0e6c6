// The run's model in real Chromium: the sidebar's Model row and the Metrics panel header
// name the model folder, its parameter count and its tokenizer; a run that knows none of
// them shows no Model row.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunInfo } from '../../protocol/runInfo';
import { eventStream, runInfo } from '../helpers/metricsFixture';
import { chromiumForFile, openWebview } from '../helpers/webviewPage';

const browser = chromiumForFile();

const dir = '/runs/demo-20250101-000000';
const keyConfig = {
  lambda: 0.5,
  model: 'Qwen2.5-0.5B',
  maxSeqLen: 256,
  train: '/d/train.parallel.jsonl',
  tau: 0.1,
  topK: 0,
  pool: 'mean',
  symmetric: true,
  lr: 1e-4,
  batchSize: 4,
  steps: 120,
  seed: 0,
};
const run: RunInfo = { ...runInfo(dir, 40), keyConfig, params: 494_032_768, tokenizer: 'BPE' };
const MODEL = 'Qwen2.5-0.5B · 494 M params · BPE';

test('the sidebar shows the model row, and none for a run that knows no model', async () => {
  const w = await openWebview(browser(), {
    view: 'metrics',
    styles: ['webview.css'],
    viewport: { width: 300, height: 700 },
  });
  await w.post({ type: 'run', run, glance: { loss: [] } });
  await w.page.locator('h2', { hasText: 'demo' }).waitFor();
  const row = (label: string) => w.page.locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');
  assert.equal(await row('Model').textContent(), MODEL);
  await w.post({ type: 'run', run: { ...runInfo(dir, 41) }, glance: { loss: [] } });
  await w.page.locator('dd', { hasText: '41 / 120' }).waitFor();
  assert.equal(await w.page.locator('dt', { hasText: 'Model' }).count(), 0);
  await w.page.close();
});

test('the Metrics panel header names the model among the run facts', async () => {
  const w = await openWebview(browser(), {
    view: 'panel',
    styles: ['webview.css', 'panel.css', 'generations.css'],
    viewport: { width: 1000, height: 800 },
  });
  await w.post({ type: 'snapshot', run, config: { pivot: 'en', lowResource: [] }, events: eventStream(0, 40) });
  await w.page.locator('header.run-header p', { hasText: 'step 40' }).waitFor();
  const facts = (await w.page.locator('header.run-header p').textContent()) ?? '';
  assert.ok(facts.includes(MODEL), facts);
  await w.page.close();
});
