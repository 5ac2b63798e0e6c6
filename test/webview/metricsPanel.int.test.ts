// The built webview bundle (dist/webview.js) as a Metrics panel in real Chromium: the page
// is served under the same CSP as in VS Code (nonce scripts, styles only from the served
// origin, nothing inline, data: images for PNG export: extension/webviewHtml.ts) with a
// stub acquireVsCodeApi, and fed a snapshot then deltas the way the host sends them.
// Checks what is drawn, that the user's choices (legend, metric, zoom, steps, tabs) survive
// a delta and a reload, that exports post valid messages, that nothing breaks the CSP, and
// screenshots dark and light themes into test-output/webview/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type HostToWebview, WebviewToHost } from '../../protocol/webviewMessages';
import { eventStream, runInfo } from '../helpers/metricsFixture';
import {
  chromiumForFile,
  controlValue,
  WEBVIEW_OUT as OUT,
  openWebview,
  pickOption,
  type Theme,
} from '../helpers/webviewPage';

const browser = chromiumForFile();

before(() => {
  fs.mkdirSync(OUT, { recursive: true });
});

async function openPanel(theme: Theme, savedState?: unknown): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await openWebview(browser(), {
    view: 'panel',
    styles: ['webview.css', 'panel.css', 'generations.css'],
    theme,
    savedState,
    viewport: { width: 1000, height: 1100 },
  });
  return { page, errors };
}

/** What the host would post: the same message shape, through window.postMessage. */
async function post(p: Page, msg: HostToWebview): Promise<void> {
  await p.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
}

/** Poll the page until the expression is truthy (waitForFunction would need eval, which the CSP refuses). */
async function waitFor(p: Page, expression: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await p.evaluate(expression))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expression}`);
    await p.waitForTimeout(20);
  }
}

/** An expression true once the page posted `n` export messages. */
const EXPORTS = (n: number) => `window.posted.filter((m) => m.type === 'export').length === ${n}`;
const savedState = (p: Page) => p.evaluate('window.savedState') as Promise<Record<string, unknown>>;
const vertices = (d: string | null) => (d ?? '').split(/[ML]/).length - 1;

const dir = '/runs/demo-20250101-000000';
const snapshot: HostToWebview = {
  type: 'snapshot',
  run: runInfo(dir, 60),
  config: { pivot: 'en', lowResource: ['sw', 'te'] },
  events: eventStream(0, 60),
};
const delta: HostToWebview = { type: 'events', run: runInfo(dir, 80), events: eventStream(61, 80) };

test('the panel draws a snapshot, appends deltas and keeps the legend toggles', async () => {
  const { page: p, errors } = await openPanel('dark');
  assert.deepEqual(await p.evaluate('window.posted'), [{ type: 'ready' }], 'the page says ready first');
  await post(p, snapshot);

  const lines = p.locator('.loss-chart svg path.series');
  await lines.first().waitFor();
  assert.equal(await lines.count(), 5, 'loss and CE for en, sw, te, zh');
  assert.equal(await p.locator('.loss-chart svg path.series.low').count(), 2, 'sw and te dashed as low-resource');
  assert.match((await p.locator('.loss-chart .legend-item[data-key="ce:sw"]').textContent()) ?? '', /low-resource/);
  assert.equal(vertices(await lines.first().getAttribute('d')), 60);

  // The legend hides a line; a delta then appends without bringing it back.
  await p.locator('.loss-chart .legend-item[data-key="ce:sw"]').click();
  assert.equal(await lines.count(), 4);
  assert.equal(await p.locator('path[data-key="ce:sw"]').count(), 0);
  assert.equal(await p.locator('.legend-item[data-key="ce:sw"]').getAttribute('aria-pressed'), 'false');
  await post(p, delta);
  await waitFor(p, 'document.querySelector(".loss-chart path.series").getAttribute("d").split("L").length === 80');
  assert.equal(await lines.count(), 4, 'the hidden language stays hidden across a delta');
  assert.match((await p.locator('.run-header').textContent()) ?? '', /step 80 \/ 120/);
  assert.deepEqual((await savedState(p)).hidden, ['ce:sw'], 'kept with setState');
  assert.equal((await savedState(p)).runDir, dir, 'the run folder is saved for the panel serializer');

  // Accuracy bars: base and step 80 for each of four languages.
  assert.equal(await p.locator('.accuracy rect.bar').count(), 8);
  assert.match((await p.locator('.accuracy h4').textContent()) ?? '', /step 80/);

  // Heatmap: 4 x 4 cells with their values, a slider over the five eval steps.
  assert.equal(await p.locator('.heatmap rect.cell').count(), 16);
  const values = await p.locator('.heatmap text.cell-value').allTextContents();
  assert.equal(values.filter((v) => v === '1.00').length, 4, 'unit diagonal');
  assert.ok(values.includes('0.73'), `step 80 off-diagonal value in a cell: ${values.join(' ')}`);
  const slider = p.locator('.heatmap input[type="range"]');
  assert.equal(await slider.getAttribute('max'), '4');
  await slider.fill('0');
  assert.ok((await p.locator('.heatmap text.cell-value').allTextContents()).includes('0.25'), 'step 0 matrix');

  // Hover read-out of step and values.
  const box = (await p.locator('.loss-chart rect.overlay').boundingBox())!;
  await p.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  assert.match((await p.locator('.loss-chart .readout').textContent()) ?? '', /^step \d+ · loss \d/);

  await p.screenshot({ path: path.join(OUT, 'metrics-panel-dark.png'), fullPage: true });
  assert.deepEqual(errors, [], 'no script errors or CSP violations');
  await p.close();
});

test('the metric selector switches lines; a drag zooms and the zoom survives a delta and a reload', async () => {
  const { page: p, errors } = await openPanel('dark');
  await post(p, snapshot);
  const lines = p.locator('.loss-chart svg path.series');
  await lines.first().waitFor();
  const keys = () => lines.evaluateAll((ps) => ps.map((e) => e.getAttribute('data-key')));
  const metric = p.locator('.loss-chart vscode-single-select.loss-metric');
  await pickOption(metric, 'align');
  assert.deepEqual(await keys(), ['align:sw', 'align:te', 'align:zh'], 'alignment distance per non-pivot language');
  assert.equal(await p.locator('.loss-chart path.series.low').count(), 2);
  assert.deepEqual(
    await p.locator('.loss-chart .legend-item').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-key'))),
    ['align:sw', 'align:te', 'align:zh'],
    'the legend follows the metric',
  );
  await pickOption(metric, 'loss');
  assert.deepEqual(await keys(), ['loss']);
  await pickOption(metric, 'ce');
  assert.deepEqual(await keys(), ['ce:en', 'ce:sw', 'ce:te', 'ce:zh']);
  assert.equal((await savedState(p)).lossMetric, 'ce');

  // Drag across the middle of the plot: steps ~20..40 of 1..60.
  const reset = p.locator('.loss-chart vscode-button.reset-zoom');
  assert.equal(await reset.isDisabled(), true);
  const box = (await p.locator('.loss-chart rect.overlay').boundingBox())!;
  const y = box.y + box.height / 2;
  await p.mouse.move(box.x + box.width / 3, y);
  await p.mouse.down();
  await p.mouse.move(box.x + (box.width * 2) / 3, y, { steps: 5 });
  await p.mouse.up();
  const zoom = (await savedState(p)).zoom as [number, number];
  assert.ok(Array.isArray(zoom) && zoom[0] >= 19 && zoom[0] <= 21 && zoom[1] >= 39 && zoom[1] <= 41, String(zoom));
  assert.equal(await reset.isDisabled(), false);
  const zoomedD = await lines.first().getAttribute('d');
  assert.ok(
    vertices(zoomedD) <= zoom[1] - zoom[0] + 3,
    `only the zoomed steps and a neighbour each side: ${vertices(zoomedD)}`,
  );
  const ticks = (await p.locator('.loss-chart text.tick[text-anchor="middle"]').allTextContents()).map(Number);
  assert.ok(ticks.length > 1 && ticks.every((t) => t >= zoom[0] && t <= zoom[1]), `x ticks inside the zoom: ${ticks}`);

  // A delta (steps 61..80, all right of the zoom) leaves the zoom and the drawn path alone.
  await post(p, delta);
  await waitFor(p, 'document.querySelector(".run-header").textContent.includes("step 80")');
  assert.deepEqual((await savedState(p)).zoom, zoom);
  assert.equal(await lines.first().getAttribute('d'), zoomedD, 'the zoomed view is unchanged by the delta');
  assert.equal(await lines.count(), 4, 'still CE per language');

  // Reloaded with the saved state: same metric and zoom; double-click zooms out.
  const state = await savedState(p);
  await p.close();
  const again = await openPanel('dark', state);
  const q = again.page;
  await post(q, { ...snapshot, events: eventStream(0, 80) });
  await q.locator('.loss-chart path.series').first().waitFor();
  assert.equal(await controlValue(q.locator('.loss-chart vscode-single-select.loss-metric')), 'ce');
  assert.equal(await q.locator('.loss-chart path.series').first().getAttribute('d'), zoomedD, 'zoom restored');
  const qbox = (await q.locator('.loss-chart rect.overlay').boundingBox())!;
  await q.mouse.dblclick(qbox.x + qbox.width / 2, qbox.y + qbox.height / 2);
  assert.equal((await savedState(q)).zoom, null);
  assert.equal(vertices(await q.locator('.loss-chart path.series').first().getAttribute('d')), 80, 'every step again');
  assert.deepEqual([...errors, ...again.errors], []);
  await q.close();
});

test('accuracy over steps with counts on hover; bars at a picked step; alignment tabs; small charts', async () => {
  const { page: p, errors } = await openPanel('dark');
  await post(p, snapshot);
  const acc = p.locator('.accuracy svg.line-chart');
  await acc.locator('path.series').first().waitFor();
  assert.equal(await acc.locator('path.series').count(), 4, 'a line per language');
  assert.equal(await acc.locator('path.series.low').count(), 2, 'low-resource dashed');
  assert.equal(await acc.locator('circle.dot').count(), 16, 'a dot per language at each of the evals 0, 20, 40, 60');

  // Hover te's dot at step 60: accuracy and the counts behind it.
  await acc.locator('g[data-key="acc:te"] circle.dot').last().hover();
  const readout = p.locator('.accuracy .readout');
  assert.equal(await readout.textContent(), 'step 60 · te 40% (40 scored, 2 skipped: 2 too long)');
  await p.locator('.accuracy rect.bar-latest[data-lang="sw"]').hover();
  assert.equal(await readout.textContent(), 'sw at step 60: 45.0% (40 scored, none skipped)');

  // Pick step 20 by clicking the line chart at its dots; then the select goes back to newest.
  assert.equal(await acc.locator('line.selected-step').count(), 0, 'following the newest: no mark');
  const dot = (await acc.locator('g[data-key="acc:en"] circle.dot').nth(1).boundingBox())!;
  await p.mouse.click(dot.x + dot.width / 2, dot.y + dot.height / 2);
  assert.match((await p.locator('.accuracy h4').textContent()) ?? '', /step 20 vs base/);
  assert.equal(await controlValue(p.locator('.accuracy vscode-single-select.accuracy-step')), '20');
  const mark = acc.locator('line.selected-step');
  const dot20 = acc.locator('g[data-key="acc:en"] circle.dot').nth(1);
  assert.equal(await mark.getAttribute('x1'), await dot20.getAttribute('cx'), 'the picked step is marked');
  await post(p, delta);
  await waitFor(p, 'document.querySelectorAll(".accuracy circle.dot").length === 20');
  assert.match(
    (await p.locator('.accuracy h4').textContent()) ?? '',
    /step 20 vs base/,
    'a delta keeps the picked step',
  );
  await pickOption(p.locator('.accuracy vscode-single-select.accuracy-step'), 'latest');
  assert.match((await p.locator('.accuracy h4').textContent()) ?? '', /step 80 vs base/);
  assert.equal(await acc.locator('line.selected-step').count(), 0);

  // Alignment tabs: soft-token matrix, then per layer (layer on x, a line per non-pivot language).
  const tab = (name: string) => p.locator('.heatmap vscode-tab-header', { hasText: name });
  assert.equal(await tab('Final layer').getAttribute('aria-selected'), 'true');
  await tab('Soft tokens').click();
  assert.equal(await tab('Soft tokens').getAttribute('aria-selected'), 'true');
  const soft = await p.locator('.heatmap text.cell-value').allTextContents();
  assert.ok(soft.includes('0.78') && !soft.includes('0.63'), `step 80 soft-token values: ${soft.join(' ')}`);
  await tab('Per layer').click();
  const layers = p.locator('.heatmap svg.line-chart');
  assert.equal(await layers.locator('path.series').count(), 3);
  assert.equal(await layers.locator('text.axis-label').textContent(), 'layer');
  assert.deepEqual(await layers.locator('text.tick[text-anchor="middle"]').allTextContents(), ['1', '2', '3', '4']);
  assert.equal((await savedState(p)).alignmentView, 'layers');
  await tab('Final layer').click();

  // Separability with the chance line; consistency per non-pivot language.
  const sep = p.locator('.separability svg');
  assert.deepEqual(await sep.locator('path.series').evaluateAll((ps) => ps.map((e) => e.getAttribute('data-label'))), [
    'silhouette',
    'probe accuracy',
  ]);
  assert.equal(await sep.locator('text.ref-label').textContent(), 'chance 0.25');
  assert.equal(await p.locator('.consistency svg path.series').count(), 3);
  assert.deepEqual(errors, []);
  await p.close();
});

test('exports post valid messages: SVG with colours as attributes, PNG, CSV', async () => {
  const { page: p, errors } = await openPanel('light');
  await post(p, snapshot);
  await p.locator('.loss-chart path.series').first().waitFor();
  const exports = async () =>
    ((await p.evaluate('window.posted')) as { type: string }[])
      .filter((m) => m.type === 'export')
      .map((m) => {
        const r = WebviewToHost.safeParse(m);
        assert.ok(r.success && r.data.type === 'export', JSON.stringify(m).slice(0, 300));
        return r.data;
      });

  await p.locator('.loss-chart vscode-button.export-button[data-format="svg"]').click();
  await waitFor(p, EXPORTS(1));
  const [svgMsg] = await exports();
  assert.equal(svgMsg.fileName, 'demo-20250101-000000-loss.svg');
  assert.match(svgMsg.data, /^<\?xml[\s\S]*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.doesNotMatch(
    svgMsg.data,
    /var\(--|style=|class="overlay"/,
    'colours resolved, no inline style, no pointer-only parts',
  );
  assert.match(svgMsg.data, /<path[^>]*stroke="rgb\(59, 59, 59\)"/, "the total loss in the light theme's foreground");
  assert.match(svgMsg.data, /stroke-dasharray="6(px)?,? 3(px)?"/, 'low-resource dashes kept');
  assert.match(svgMsg.data, />CE sw</, 'a legend of the drawn lines');
  fs.writeFileSync(path.join(OUT, 'export-loss.svg'), svgMsg.data);

  await p.locator('.heatmap vscode-button.export-button[data-format="png"]').click();
  await waitFor(p, EXPORTS(2));
  const pngMsg = (await exports())[1];
  assert.equal(pngMsg.format, 'png');
  const png = Buffer.from(pngMsg.data, 'base64');
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  fs.writeFileSync(path.join(OUT, 'export-alignment.png'), png);
  assert.ok(png.readUInt32BE(16) >= 400 && png.readUInt32BE(20) >= 400, 'drawn at twice the chart size');

  await p.locator('vscode-button.export-csv').click();
  await waitFor(p, EXPORTS(3));
  const csv = (await exports())[2];
  assert.equal(csv.fileName, 'demo-20250101-000000-metrics.csv');
  const rows = csv.data.trimEnd().split('\n');
  const header = rows[0].split(',');
  assert.equal(rows.length, 1 + 61, 'a row per step 0..60');
  for (const col of ['step', 'loss', 'ce:sw', 'align:te', 'accuracy:zh', 'similarity:en/sw', 'layerSimilarity:4:zh']) {
    assert.ok(header.includes(col), `column ${col}`);
  }
  const row20 = rows.find((r) => r.startsWith('20,'))!.split(',');
  assert.equal(row20[header.indexOf('accuracy:en')], '0.3');
  assert.equal(row20[header.indexOf('scored:te')], '40');
  assert.deepEqual(errors, [], 'the PNG is drawn under the CSP');
  await p.close();
});

test('light theme, log scale and no smoothing render too', async () => {
  const { page: p, errors } = await openPanel('light');
  await post(p, snapshot);
  await p.locator('.loss-chart path.series').first().waitFor();
  const log = p.locator('.loss-chart vscode-checkbox.log-scale');
  await log.click();
  assert.equal((await savedState(p)).log, true, 'the log-scale checkbox sets log scale');
  assert.equal(await log.evaluate((e) => (e as unknown as { checked: boolean }).checked), true);
  await p.locator('.loss-chart input[type="range"]').fill('0');
  assert.equal(await p.locator('.loss-chart path.series').count(), 5);
  assert.ok((await p.locator('.loss-chart text.tick').allTextContents()).length > 3, 'log ticks drawn');
  await p.screenshot({ path: path.join(OUT, 'metrics-panel-light.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await p.close();
});
