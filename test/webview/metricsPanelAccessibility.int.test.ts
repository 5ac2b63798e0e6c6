// The Metrics panel without a mouse and without sight of the charts, in real Chromium (the
// built bundle, the panel's CSP, test/helpers/webviewPage.ts): Tab reaches the controls in
// order with VS Code's focus border, the keyboard zooms and pans the loss chart, each
// chart's table view holds the numbers the chart draws, the heatmap's cells are named for
// a screen reader, and a long run is drawn with a few points per column while its table
// and read-out keep every step. High-contrast and light themes: screenshots into
// test-output/webview/, borders where HC needs them, a readable yellow on white.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { countsText, pct } from '../../webview/panel/evalSeries';
import { formatValue } from '../../webview/panel/scales';
import { evalEvent, eventStream, runInfo, trainEvent } from '../helpers/metricsFixture';
import { chromiumForFile, openWebview, type Theme, WEBVIEW_OUT, type WebviewPage } from '../helpers/webviewPage';

/** The page's own, in callbacks that run in the page (this file is type-checked without the DOM). */
declare function getComputedStyle(e: unknown): Record<string, string>;

const browser = chromiumForFile();

const dir = '/runs/demo-20250101-000000';
const snapshot = (to: number, evalEvery = 20): HostToWebview => ({
  type: 'snapshot',
  run: runInfo(dir, to),
  config: { pivot: 'en', lowResource: ['sw', 'te'] },
  events: eventStream(0, to, evalEvery),
});

async function open(theme: Theme = 'dark', msg = snapshot(60)): Promise<WebviewPage> {
  const w = await openWebview(browser(), {
    view: 'panel',
    styles: ['webview.css', 'panel.css', 'generations.css'],
    theme,
    viewport: { width: 1000, height: 1100 },
  });
  await w.post(msg);
  await w.page.locator('.loss-chart path.series').first().waitFor();
  return w;
}

const zoom = async (p: Page) => (await p.evaluate('window.savedState.zoom')) as [number, number] | null;

/** The rows of a table view, opened: header row then body rows, as cell texts. */
async function tableRows(p: Page, details: string): Promise<string[][]> {
  const d = p.locator(details);
  if (!(await d.evaluate((e) => (e as unknown as { open: boolean }).open))) {
    await d.locator('summary').click();
    await d.locator('tr').first().waitFor(); // built on the toggle event, a task later
  }
  return d
    .locator('tr')
    .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
}

test('Tab reaches the controls in order, each with the focus border', async () => {
  const { page, errors } = await open();
  // What a focused element is: its tag and its name (aria-label, a control's label, legend
  // key, input type or text), and its focus ring: the element's outline, or for a
  // vscode-elements control (whose ring is drawn in its shadow root) the focusBorder-coloured
  // outline or border in there, else whatever it draws ('none' when nothing).
  const describe = `(() => { const e = document.activeElement;
    const name = e.getAttribute('aria-label') ?? e.getAttribute('label') ?? e.getAttribute('data-key')
      ?? (e.localName === 'input' ? e.getAttribute('type') : null) ?? (e.getAttribute('role') === 'tabpanel' ? 'tabpanel' : e.textContent.trim());
    const rings = (el) => { const s = getComputedStyle(el); return [
      s.outlineStyle === 'solid' ? 'solid ' + s.outlineColor : '',
      s.borderTopStyle === 'solid' && el !== e ? 'solid ' + s.borderTopColor : ''].filter(Boolean); };
    let found = rings(e).slice(0, 1);
    if (!found.length && e.shadowRoot) {
      const inner = [...e.shadowRoot.querySelectorAll('*')].flatMap(rings);
      found = inner.filter((r) => r === 'solid rgb(0, 120, 212)').slice(0, 1);
      if (!found.length) found = inner.slice(0, 1);
    }
    return [e.tagName.toLowerCase() + ' ' + name, found[0] ?? 'none']; })()`;
  const seen: string[] = [];
  const outlines = new Set<string>();
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const [what, outline] = (await page.evaluate(describe)) as [string, string];
    seen.push(what);
    outlines.add(outline);
  }
  assert.deepEqual(seen, [
    'vscode-button Export CSV',
    'vscode-button Save Loss as SVG',
    'vscode-button Save Loss as PNG',
    'vscode-single-select What the loss chart draws',
    'input range',
    'vscode-checkbox Log scale',
    // Reset zoom is disabled until there is a zoom; the chart itself takes focus (keyboard zoom).
    'svg Loss over steps',
    'button loss',
    'button ce:en',
    'button ce:sw',
    'button ce:te',
    'button ce:zh',
    'summary Table',
    'vscode-button Save Accuracy as SVG',
    'vscode-button Save Accuracy as PNG',
    'button acc:en',
    'button acc:sw',
    'button acc:te',
    'button acc:zh',
    'summary Table of the lines',
    'vscode-single-select Eval step of the bars',
    'summary Table of the bars',
    'vscode-button Save Alignment as SVG',
    'vscode-button Save Alignment as PNG',
    'vscode-tab-header Final layer', // the selected tab only: arrow keys move between tabs
    'vscode-tab-panel tabpanel', // the tab's panel takes focus, as the tabs pattern has it
    'input Eval step of the alignment view',
    'summary Table',
    'vscode-button Save Separability as SVG',
    'vscode-button Save Separability as PNG',
  ]);
  assert.deepEqual([...outlines], ['solid rgb(0, 120, 212)'], "every focused control shows the theme's focusBorder");
  assert.deepEqual(errors, []);
  await page.close();
});

test('the focused loss chart zooms with + and −, pans with the arrows, and Escape shows every step', async () => {
  const w = await open();
  const { page } = w;
  const chart = page.locator('.loss-chart svg.line-chart');
  await chart.focus();
  const readout = page.locator('.loss-chart .readout');
  assert.equal(await readout.getAttribute('aria-live'), 'polite', 'what a key did is read out');
  await page.keyboard.press('+');
  const zoomed = await zoom(page);
  assert.deepEqual(zoomed, [15, 46], 'half of steps 1..60 about the middle, widened to whole steps');
  assert.equal(await readout.textContent(), 'steps 15–46 of 1–60');
  const ticks = (await page.locator('.loss-chart text.tick[text-anchor="middle"]').allTextContents()).map(Number);
  assert.ok(
    ticks.every((t) => t >= 15 && t <= 46),
    `x ticks inside the zoom: ${ticks}`,
  );
  assert.equal(await page.locator('.loss-chart vscode-button.reset-zoom').isDisabled(), false);

  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await zoom(page), [23, 54], 'a quarter of the width to the right');
  await page.keyboard.press('End');
  assert.deepEqual(await zoom(page), [29, 60], 'to the last step, same width');
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await zoom(page), [29, 60], 'no further than the last step');
  await page.keyboard.press('Home');
  assert.deepEqual(await zoom(page), [1, 32]);
  await page.keyboard.press('-');
  assert.equal(await zoom(page), null, 'zoomed out past the data: every step again');
  assert.equal(await readout.textContent(), 'every step, 1–60');
  await page.keyboard.press('=');
  await page.keyboard.press('=');
  assert.ok((await zoom(page))![1] - (await zoom(page))![0] < 20, 'zoomed in twice');
  // A delta leaves a keyboard zoom alone, as it does a dragged one.
  await w.post({ type: 'events', run: runInfo(dir, 80), events: eventStream(61, 80) });
  await w.waitFor('document.querySelector(".run-header").textContent.includes("step 80")');
  const kept = await zoom(page);
  assert.ok(kept && kept[1] <= 60, `kept: ${kept}`);
  await page.keyboard.press('Escape');
  assert.equal(await zoom(page), null);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('each table view holds the numbers its chart draws; heatmap cells are named for screen readers', async () => {
  const w = await open();
  const { page } = w;
  // Loss, unsmoothed: every step's total and CE, as the read-out formats them.
  await page.locator('.loss-chart input[type="range"]').fill('0');
  const loss = await tableRows(page, '.loss-chart details.chart-table');
  assert.deepEqual(loss[0], ['step', 'loss', 'CE en', 'CE sw', 'CE te', 'CE zh']);
  assert.equal(loss.length, 1 + 60, 'a row per step');
  for (const row of loss.slice(1)) {
    const e = trainEvent(Number(row[0]));
    assert.deepEqual(row.slice(1), [e.loss, e.ce.en, e.ce.sw, e.ce.te, e.ce.zh].map(formatValue), `step ${row[0]}`);
  }
  // Zoomed, the table holds the zoomed steps only.
  await page.locator('.loss-chart svg.line-chart').focus();
  await page.keyboard.press('+');
  const zoomedRows = (await tableRows(page, '.loss-chart details.chart-table')).slice(1).map((r) => Number(r[0]));
  assert.deepEqual(
    zoomedRows,
    Array.from({ length: 32 }, (_, i) => 15 + i),
  );

  // Accuracy: each cell is what the dot's tooltip says (value and the counts behind it).
  const acc = await tableRows(page, '.accuracy .accuracy-lines details.chart-table');
  assert.deepEqual(acc[0], ['step', 'en', 'sw', 'te', 'zh']);
  assert.deepEqual(
    acc.slice(1).map((r) => r[0]),
    ['0', '20', '40', '60'],
  );
  const teTitles = await page.locator('.accuracy g[data-key="acc:te"] circle.dot title').allTextContents();
  assert.deepEqual(
    acc.slice(1).map((r) => `te ${r[3]}`),
    teTitles,
  );
  const e60 = evalEvent(60);
  assert.equal(acc[4][3], `${pct(e60.accuracy!.te)} (${countsText(e60, 'te')})`);
  // The bars: base and the newest eval per language, as the bars' tooltips say.
  const bars = await tableRows(page, '.accuracy .accuracy-at-step details.chart-table');
  assert.deepEqual(bars[0], ['language', 'base (step 0)', 'step 60']);
  const swTitle = await page.locator('.accuracy rect.bar-latest[data-lang="sw"] title').textContent();
  assert.equal(swTitle, `sw at step 60: ${bars.find((r) => r[0].startsWith('sw'))![2]}`);
  assert.equal(bars[2][0], 'sw (low-resource)');

  // Heatmap: the table's cells are the cells' values, row by row; each cell is named.
  const cells = await page.locator('.heatmap text.cell-value').allTextContents();
  const matrix = await tableRows(page, '.heatmap details.chart-table');
  assert.deepEqual(matrix[0], ['language', 'en', 'sw', 'te', 'zh']);
  assert.deepEqual(
    matrix.slice(1).flatMap((r) => r.slice(1)),
    cells,
  );
  const name = /^Similarity between languages \(final layer\) at step 60$/;
  assert.equal(await page.getByRole('table', { name }).count(), 2, 'the matrix and its table view, named alike');
  const heat = page.locator('.heatmap svg.matrix');
  assert.equal(await heat.getAttribute('role'), 'table');
  assert.equal(await heat.getByRole('row').count(), 5, 'a header row and one per language');
  assert.equal(await heat.getByRole('cell').count(), 16);
  assert.equal(await heat.getByRole('cell', { name: 'sw · te: 0.61' }).count(), 1);
  assert.equal(await heat.getByRole('rowheader', { name: 'te' }).count(), 1);
  // Another step: the open table follows the slider.
  await page.locator('.heatmap input[type="range"]').fill('0');
  const step0 = await tableRows(page, '.heatmap details.chart-table');
  assert.deepEqual(step0[2], ['sw', '0.25', '1.00', '0.25', '0.20']);
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('a long run: a few points per column, every step in the read-out and in the paged table', async () => {
  const steps = 20_000;
  const w = await open('dark', snapshot(steps, 5_000));
  const { page } = w;
  const d = await page.locator('.loss-chart path.series').first().getAttribute('d');
  const vertices = (d ?? '').split(/[ML]/).length - 1;
  // 652 viewBox units of plot in columns of one unit: at most four points each.
  assert.ok(vertices <= 4 * 653 && vertices > 653, `${vertices} vertices for ${steps} steps`);
  // The table pages through every step.
  const rows = await tableRows(page, '.loss-chart details.chart-table');
  assert.equal(rows.length, 1 + 100);
  assert.equal(await page.locator('.loss-chart .table-pager [role="status"]').textContent(), 'rows 1–100 of 20000');
  await page.locator('.loss-chart .table-pager vscode-button', { hasText: 'Next rows' }).click();
  const next = await tableRows(page, '.loss-chart details.chart-table');
  assert.equal(next[1][0], '101');
  assert.equal(await page.locator('.loss-chart .table-pager [role="status"]').textContent(), 'rows 101–200 of 20000');
  // Dense eval dots are left out (five evals here: still drawn).
  assert.equal(await page.locator('.accuracy circle.dot').count(), 4 * 5);
  // Hovering reads the exact step under the pointer and its value, not a drawn point's.
  await page.locator('.loss-chart input[type="range"]').fill('0');
  const box = (await page.locator('.loss-chart rect.overlay').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const text = (await page.locator('.loss-chart .readout').textContent()) ?? '';
  const step = Number(/^step (\d+)/.exec(text)?.[1]);
  assert.ok(step > 9_000 && step < 11_000, text);
  assert.ok(text.includes(` loss ${formatValue(trainEvent(step).loss)} `), text);
  assert.deepEqual(w.errors, []);
  await page.close();
});

for (const theme of ['hc-dark', 'hc-light'] as const) {
  test(`high contrast (${theme}): bordered controls and cells, screenshot`, async () => {
    const w = await open(theme);
    const { page } = w;
    const border = theme === 'hc-dark' ? 'rgb(111, 195, 223)' : 'rgb(15, 74, 133)';
    // No button fills in HC dark: the contrast border draws every button.
    // A vscode-button draws its border (and fill) on the `base` part inside its shadow root.
    for (const sel of [
      'vscode-button.export-csv .base',
      '.loss-chart vscode-button.export-button .base',
      '.loss-chart button.legend-item',
    ]) {
      const [style, colour] = await page
        .locator(sel)
        .first()
        .evaluate((e) => [getComputedStyle(e).borderTopStyle, getComputedStyle(e).borderTopColor]);
      assert.deepEqual([style, colour], ['solid', border], sel);
    }
    // HC dark defines no button fill: the buttons are outlined, not the components' fallback blue.
    const fill = await page
      .locator('vscode-button.export-csv .base')
      .evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(fill, theme === 'hc-dark' ? 'rgba(0, 0, 0, 0)' : 'rgb(255, 255, 255)');
    assert.equal(
      await page
        .locator('.heatmap rect.cell')
        .first()
        .evaluate((e) => getComputedStyle(e).stroke),
      border,
      'heatmap cells outlined',
    );
    await page.locator('.loss-chart svg.line-chart').focus();
    const focus = theme === 'hc-dark' ? 'rgb(243, 133, 24)' : 'rgb(15, 74, 133)';
    assert.equal(
      await page.locator('.loss-chart svg.line-chart').evaluate((e) => getComputedStyle(e).outlineColor),
      focus,
    );
    await page.locator('.heatmap details.chart-table summary').click();
    await page.screenshot({ path: path.join(WEBVIEW_OUT, `metrics-panel-${theme}.png`), fullPage: true });
    assert.deepEqual(w.errors, []);
    await page.close();
  });
}

test('light themes draw the yellow, orange, sky blue and grey series darker (readable on white)', async () => {
  const stroke = async (theme: Theme) => {
    const w = await open(theme);
    const zh = await w.page.locator('.loss-chart path[data-key="ce:zh"]').evaluate((e) => getComputedStyle(e).stroke);
    const en = await w.page.locator('.loss-chart path[data-key="ce:en"]').evaluate((e) => getComputedStyle(e).stroke);
    const swatch = await w.page
      .locator('.loss-chart .legend-item[data-key="ce:zh"] line')
      .evaluate((e) => getComputedStyle(e).stroke);
    await w.page.close();
    return [zh, en, swatch];
  };
  // zh is the fourth language: Okabe-Ito yellow; en the first: orange.
  assert.deepEqual(await stroke('dark'), ['rgb(240, 228, 66)', 'rgb(230, 159, 0)', 'rgb(240, 228, 66)']);
  assert.deepEqual(await stroke('hc-dark'), ['rgb(240, 228, 66)', 'rgb(230, 159, 0)', 'rgb(240, 228, 66)']);
  assert.deepEqual(await stroke('light'), ['rgb(133, 122, 0)', 'rgb(196, 111, 0)', 'rgb(133, 122, 0)']);
  assert.deepEqual(await stroke('hc-light'), ['rgb(133, 122, 0)', 'rgb(196, 111, 0)', 'rgb(133, 122, 0)']);
});
