// The built webview bundle (dist/webview.js) as a Metrics panel in real Chromium: the page
// is served under the same kind of CSP as in VS Code (nonce scripts, styles only from the
// served origin, nothing inline) with a stub acquireVsCodeApi, and fed a snapshot then
// deltas the way the host sends them. Checks what is drawn, that the user's toggles
// survive a delta, that nothing breaks the CSP, and screenshots dark and light themes
// into test-output/webview/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { findChromium, launchChromium } from '../e2e/browser';
import { ROOT } from '../helpers/helpers';
import { eventStream, runInfo } from '../helpers/metricsFixture';

const ORIGIN = 'http://webview.test';
const OUT = path.join(ROOT, 'test-output', 'webview');
const NONCE = 'dGVzdC1ub25jZQ==';

// A few of the variables VS Code defines on a webview's root, per theme.
const THEMES = {
  dark: {
    'font-family': 'sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    'editor-background': '#1f1f1f',
    'panel-border': '#2b2b2b',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'charts-blue': '#3794ff',
    focusBorder: '#0078d4',
  },
  light: {
    'font-family': 'sans-serif',
    'font-size': '13px',
    'editor-font-family': 'monospace',
    foreground: '#3b3b3b',
    descriptionForeground: '#717171',
    'editor-background': '#ffffff',
    'panel-border': '#e5e5e5',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'charts-blue': '#1a85ff',
    focusBorder: '#005fb8',
  },
};
type Theme = keyof typeof THEMES;

function themeCss(theme: Theme): string {
  const vars = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`);
  return `html { ${vars.join(' ')} } body { background: var(--vscode-editor-background); }`;
}

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${ORIGIN}; img-src ${ORIGIN}; script-src 'nonce-${NONCE}';">
<link rel="stylesheet" href="${ORIGIN}/theme.css">
<link rel="stylesheet" href="${ORIGIN}/media/webview.css">
<link rel="stylesheet" href="${ORIGIN}/media/panel.css">
</head><body>
<main id="root" data-view="panel"><p class="muted">Loading…</p></main>
<script nonce="${NONCE}">
  window.posted = [];
  window.savedState = undefined;
  function acquireVsCodeApi() {
    return { postMessage: (m) => window.posted.push(m), getState: () => window.savedState, setState: (s) => { window.savedState = s; } };
  }
</script>
<script nonce="${NONCE}" src="${ORIGIN}/dist/webview.js"></script>
</body></html>`;

let browser: Browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'webview.js')), 'dist/webview.js: run npm run build first');
  browser = await launchChromium(await findChromium());
  fs.mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await browser?.close();
});

async function openPanel(theme: Theme): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: PAGE });
    if (url.pathname === '/theme.css') return route.fulfill({ contentType: 'text/css', body: themeCss(theme) });
    const file = path.join(ROOT, url.pathname);
    if (!/^\/(dist|media)\//.test(url.pathname) || !fs.existsSync(file)) return route.fulfill({ status: 404 });
    const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
    return route.fulfill({ contentType: type, body: fs.readFileSync(file) });
  });
  await page.goto(`${ORIGIN}/index.html`);
  return { page, errors };
}

/** What the host would post: the same message shape, through window.postMessage. */
async function post(page: Page, msg: HostToWebview): Promise<void> {
  await page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
}

const dir = '/runs/demo-20250101-000000';
const snapshot: HostToWebview = {
  type: 'snapshot',
  run: runInfo(dir, 60),
  config: { pivot: 'en', lowResource: ['sw', 'te'] },
  events: eventStream(0, 60),
};

test('the panel draws a snapshot, appends deltas and keeps the legend toggles', async () => {
  const { page, errors } = await openPanel('dark');
  assert.deepEqual(await page.evaluate('window.posted'), [{ type: 'ready' }], 'the page says ready first');
  await post(page, snapshot);

  const lines = page.locator('.loss-chart svg path.series');
  await lines.first().waitFor();
  assert.equal(await lines.count(), 5, 'loss and CE for en, sw, te, zh');
  assert.equal(await page.locator('.loss-chart svg path.series.low').count(), 2, 'sw and te dashed as low-resource');
  assert.match((await page.locator('.legend-item[data-key="ce:sw"]').textContent()) ?? '', /low-resource/);
  const lossPoints = async () => ((await lines.first().getAttribute('d')) ?? '').split(/[ML]/).length - 1;
  assert.equal(await lossPoints(), 60);

  // The legend hides a line; a delta then appends without bringing it back.
  await page.locator('.legend-item[data-key="ce:sw"]').click();
  assert.equal(await lines.count(), 4);
  assert.equal(await page.locator('path[data-key="ce:sw"]').count(), 0);
  assert.equal(await page.locator('.legend-item[data-key="ce:sw"]').getAttribute('aria-pressed'), 'false');
  await post(page, { type: 'events', run: runInfo(dir, 80), events: eventStream(61, 80) });
  await page.waitForFunction(
    'document.querySelector(".loss-chart path.series").getAttribute("d").split("L").length === 80',
  );
  assert.equal(await lossPoints(), 80);
  assert.equal(await lines.count(), 4, 'the hidden language stays hidden across a delta');
  assert.match((await page.locator('.run-header').textContent()) ?? '', /step 80 \/ 120/);
  assert.deepEqual((await page.evaluate('window.savedState.hidden')) as string[], ['ce:sw'], 'kept with setState');

  // Accuracy: base and step 80 for each of four languages.
  assert.equal(await page.locator('.accuracy rect.bar').count(), 8);
  assert.match((await page.locator('.accuracy h3').textContent()) ?? '', /step 80/);

  // Heatmap: 4 x 4 cells with their values, a slider over the five eval steps.
  assert.equal(await page.locator('.heatmap rect.cell').count(), 16);
  const values = await page.locator('.heatmap text.cell-value').allTextContents();
  assert.equal(values.filter((v) => v === '1.00').length, 4, 'unit diagonal');
  assert.ok(values.includes('0.73'), `step 80 off-diagonal value in a cell: ${values.join(' ')}`);
  const slider = page.locator('.heatmap input[type="range"]');
  assert.equal(await slider.getAttribute('max'), '4');
  await slider.fill('0');
  assert.ok((await page.locator('.heatmap text.cell-value').allTextContents()).includes('0.25'), 'step 0 matrix');

  // Hover read-out of step and values.
  const box = (await page.locator('.loss-chart rect.overlay').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  assert.match((await page.locator('.readout').textContent()) ?? '', /^step \d+ · loss \d/);

  await page.screenshot({ path: path.join(OUT, 'metrics-panel-dark.png'), fullPage: true });
  assert.deepEqual(errors, [], 'no script errors or CSP violations');
  await page.close();
});

test('light theme, log scale and no smoothing render too', async () => {
  const { page, errors } = await openPanel('light');
  await post(page, snapshot);
  await page.locator('.loss-chart path.series').first().waitFor();
  await page.locator('.loss-chart input[type="checkbox"]').check();
  await page.locator('.loss-chart input[type="range"]').fill('0');
  assert.equal(await page.locator('.loss-chart path.series').count(), 5);
  assert.ok((await page.locator('.loss-chart text.tick').allTextContents()).length > 3, 'log ticks drawn');
  await page.screenshot({ path: path.join(OUT, 'metrics-panel-light.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.close();
});
