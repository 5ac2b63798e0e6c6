// The sidebar Metrics view (dist/webview.js, data-view="metrics") in real Chromium: a run
// with its glance shows state, step, the loss sparkline, the latest mean and low-resource
// accuracy and a small heatmap; the drawings and Open Metrics post `solar.openMetrics`
// for the run; a run without events and no run at all render without drawings. Screenshots
// of dark and light themes go to test-output/webview/.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { HostToWebview, RunGlance } from '../../protocol/webviewMessages';
import { evalEvent, runInfo, trainEvent } from '../helpers/metricsFixture';
import { chromiumForFile, openWebview, type Theme, WEBVIEW_OUT } from '../helpers/webviewPage';

const browser = chromiumForFile();

const dir = '/runs/demo-20250101-000000';
const last = evalEvent(80);
const glance: RunGlance = {
  loss: [...Array(80).keys()].map((i) => ({ step: i + 1, value: trainEvent(i + 1).loss })),
  lastEval: { step: 80, accuracyMean: 0.4125, accuracyLowResource: 0.25, similarity: last.similarity },
};
const message: HostToWebview = { type: 'run', run: { ...runInfo(dir, 80), bestAccuracy: 0.45 }, glance };

async function open(theme: Theme) {
  return openWebview(browser(), {
    view: 'metrics',
    styles: ['webview.css'],
    theme,
    viewport: { width: 300, height: 700 },
  });
}

test('the glance: state, step, sparkline, accuracies and heatmap; a click opens the panel', async () => {
  const w = await open('dark');
  const { page } = w;
  assert.deepEqual(await w.posted(), [{ type: 'ready' }], 'the page says ready first');
  await w.post(message);
  await page.locator('h2', { hasText: 'demo' }).waitFor();
  assert.equal(await page.locator('h2 .state').textContent(), 'running');

  const line = page.locator('svg.glance-spark path.glance-line');
  const d = (await line.getAttribute('d')) ?? '';
  assert.equal(d.split(/[ML]/).length - 1, 80, 'one vertex per loss point');
  // Higher loss is drawn higher: the first point (loss ~5) is above the last (loss ~2.3).
  const ys = [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.ok(ys[0] < ys.at(-1)!, `y of the first point ${ys[0]} above the last ${ys.at(-1)}`);
  assert.match(
    (await page.locator('svg.glance-spark title').textContent()) ?? '',
    /^Training loss from 5\.\d+ at step 1 to 2\.\d+ at step 80$/,
  );

  const facts = Object.fromEntries(
    await page
      .locator('dl dt')
      .evaluateAll((dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling?.textContent])),
  );
  assert.equal(facts.Step, '80 / 120');
  assert.equal(facts['Mean accuracy'], '41.3% (step 80)');
  assert.equal(facts['Low-resource'], '25.0% (step 80)');
  assert.equal(facts['Best accuracy'], '45.0%');

  const cells = page.locator('svg.glance-heatmap rect.glance-cell');
  assert.equal(await cells.count(), 16, '4 x 4 languages');
  const titles = await page.locator('svg.glance-heatmap rect.glance-cell title').allTextContents();
  assert.ok(titles.includes('en · en: 1'), titles.join(' | '));
  assert.ok(titles.includes(`en · sw: ${last.similarity!.matrix[0][1]}`), titles.join(' | '));
  assert.deepEqual(await page.locator('figcaption').allTextContents(), [
    'Training loss, steps 1–80',
    'Similarity between languages, step 80',
  ]);
  await page.screenshot({ path: path.join(WEBVIEW_OUT, 'sidebar-dark.png'), fullPage: true });
  // The actions are vscode-buttons, which style their shadow roots with constructable
  // stylesheets: under the CSP they still take the theme's fills (primary, and secondary).
  const fills = await page.evaluate(
    '[...document.querySelectorAll(".actions vscode-button")].map((b) => getComputedStyle(b.shadowRoot.querySelector(".base")).backgroundColor)',
  );
  assert.deepEqual(fills, ['rgb(0, 120, 212)', 'rgb(0, 120, 212)', 'rgb(49, 49, 49)'], 'Open Metrics, Stop, Show Log');

  const openMetrics = { type: 'command', command: 'solar.openMetrics', runDir: dir };
  await page.locator('button.glance-loss').click();
  await page.locator('button.glance-sim').focus();
  await page.keyboard.press('Enter');
  await page.locator('.actions vscode-button', { hasText: 'Open Metrics' }).click();
  assert.deepEqual((await w.posted()).slice(1), [openMetrics, openMetrics, openMetrics]);
  await page.locator('.actions vscode-button', { hasText: 'Stop' }).click();
  assert.deepEqual((await w.posted()).at(-1), { type: 'command', command: 'solar.stopRun', runDir: dir });

  // A newer glance replaces the drawings, not adds to them.
  await w.post({ ...message, glance: { ...glance, loss: glance.loss.slice(0, 10) } });
  await w.waitFor('document.querySelector(".glance-line")?.getAttribute("d").split("L").length === 10');
  assert.equal(await page.locator('svg.glance-spark').count(), 1);
  assert.deepEqual(w.errors, [], 'no script errors or CSP violations');
  await page.close();
});

test('a run without events, a failed run and no run: no drawings, the text still there', async () => {
  const w = await open('light');
  const { page } = w;
  await w.post({ type: 'run', run: { ...runInfo(dir, 0, 'failed'), message: 'trainer exited with code 1' } });
  await page.locator('h2 .state', { hasText: 'failed' }).waitFor();
  assert.equal(await page.locator('svg').count(), 0);
  assert.match((await page.locator('dl').textContent()) ?? '', /trainer exited with code 1/);
  assert.equal(await page.locator('.actions vscode-button', { hasText: 'Open Metrics' }).count(), 1);
  // The failed badge: the theme's error pair, not the badge's grey on red.
  const colours = await page.evaluate(
    '(s => [s.backgroundColor, s.color])(getComputedStyle(document.querySelector("h2 .state")))',
  );
  assert.deepEqual(colours, ['rgb(199, 46, 15)', 'rgb(255, 255, 255)']);
  await page.screenshot({ path: path.join(WEBVIEW_OUT, 'sidebar-failed-light.png'), fullPage: true });
  await w.post({ ...message, glance: { loss: [{ step: 1, value: 3 }] } });
  await page.locator('h2 .state', { hasText: 'running' }).waitFor();
  assert.equal(await page.locator('svg').count(), 0, 'one loss point and no eval: nothing to draw');
  await w.post({ type: 'run', run: null });
  await page.locator('p', { hasText: 'No run selected' }).waitFor();
  assert.deepEqual(w.errors, []);
  await page.close();
});
