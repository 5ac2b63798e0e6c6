// The built webview bundle as the Compare Runs panel (data-view="compare") in real
// Chromium, fed the snapshot the host sends: a report built by `solar compare`'s own code
// from recorded-shape runs (SOLAR and SFT with two seeds each, one SFT seed stopped early,
// and a single-seed variant). Checks the overlaid curves and their spread bands, the group
// toggles (kept with setState), the accuracy and delta tables with their within-noise and
// spread-unknown marks, the base model row, the unfinished mark, the messages the page
// posts, and that nothing breaks the CSP; screenshots dark and light into test-output/webview/.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { type CompareHostToWebview, CompareRestoreState } from '../../protocol/compareMessages';
import type { CompareReport } from '../../protocol/compareReport';
import type { EvalEvent, MetricEvent, RunStatus } from '../../protocol/metrics';
import { RunConfig } from '../../protocol/runConfig';
import type { RunContents } from '../../protocol/runFolder';
import { buildReport } from '../../trainer/eval/compare';
import { formatValue } from '../../webview/panel/scales';
import { LANGS, trainEvent } from '../helpers/metricsFixture';
import { chromiumForFile, openWebview, pickOption, type Theme, WEBVIEW_OUT } from '../helpers/webviewPage';

const STEPS = 60;

/** Accuracy per language at `step`: rises with training; `gain` is the config's, `jitter` the seed's. */
function evalAt(step: number, gain: number, jitter: number): EvalEvent {
  const t = step / STEPS;
  const accuracy = Object.fromEntries(
    LANGS.map((l, i) => [
      l,
      Number(Math.min(1, 0.1 + t * (0.3 + gain * (i + 1)) + jitter * (i % 2 ? -1 : 1)).toFixed(3)),
    ]),
  );
  const vs = Object.values(accuracy);
  return { kind: 'eval', step, accuracy, accuracyMean: vs.reduce((a, b) => a + b, 0) / vs.length };
}

function run(name: string, lambda: number, seed: number, gain: number, jitter: number, stopAt = STEPS): RunContents {
  const events: MetricEvent[] = [evalAt(0, 0, seed * 0.01)];
  for (let s = 1; s <= stopAt; s++) {
    const e = trainEvent(s);
    // CE lower for the better config, seeds 0.2 apart; the loss adds λ·align on top.
    const shift = -gain * 3 + (seed - 0.5) * 0.2;
    const ce = Object.fromEntries(Object.entries(e.ce).map(([l, v]) => [l, v + shift]));
    events.push({ ...e, loss: e.loss + shift + lambda * 0.2, ce });
    if (s % 20 === 0) events.push(evalAt(s, gain, jitter));
  }
  const status: RunStatus = {
    runId: `${name}-${seed}`,
    state: stopAt < STEPS ? 'stopped' : 'completed',
    pid: 1,
    step: stopAt,
    totalSteps: STEPS,
    startedAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
  const config = RunConfig.parse({
    name,
    seed,
    steps: STEPS,
    objective: { lambda },
    data: { train: '/ws/data/train.parallel.jsonl' },
    lowResource: ['sw', 'te'],
  });
  return { dir: `/runs/${name}-${seed}`, config, status, events, problems: [] };
}

const report: CompareReport = buildReport([
  run('solar', 0.5, 0, 0.08, 0.02),
  run('solar', 0.5, 1, 0.08, -0.02),
  run('sft', 0, 0, 0.02, 0.03),
  run('sft', 0, 1, 0.02, -0.01, 40), // stopped at 40/60
  run('solar-tau2', 0.5, 0, 0.1, 0),
]);
const snapshot: CompareHostToWebview = { type: 'snapshot', report, comparedAt: '2025-01-01T12:00:00Z' };

/** The page's own, in callbacks that run in the page (this file is type-checked without the DOM). */
declare function getComputedStyle(e: unknown): Record<string, string>;

const browser = chromiumForFile();

async function open(theme: Theme) {
  const w = await openWebview(browser(), {
    view: 'compare',
    styles: ['webview.css', 'panel.css', 'compare.css'],
    theme,
    viewport: { width: 1100, height: 1400 },
  });
  const post = async (m: CompareHostToWebview) => {
    await w.page.evaluate(`window.postMessage(${JSON.stringify(m)}, '*')`);
  };
  return { ...w, post };
}

const within = (r: CompareReport, v: boolean | null) =>
  r.deltas.reduce((n, d) => n + Object.values(d.accuracy).filter((a) => a.withinNoise === v).length, 0);

test('curves overlaid with spread bands, group toggles, tables with noise marks, unfinished runs', async () => {
  const w = await open('dark');
  const { page } = w;
  assert.deepEqual(await w.posted(), [{ type: 'ready' }], 'the page says ready first');
  await w.post(snapshot);
  await page.locator('.curve-chart path.series.mean').first().waitFor();

  // Both charts draw one mean line and one band per group.
  const training = page.locator('.curve-chart').nth(0);
  const accuracy = page.locator('.curve-chart').nth(1);
  for (const chart of [training, accuracy]) {
    assert.deepEqual(
      await chart.locator('path.series.mean').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-key'))),
      ['solar', 'sft', 'solar-tau2'],
    );
    assert.equal(await chart.locator('path.band').count(), 3);
  }
  assert.match((await training.locator('h3').textContent()) ?? '', /Training CE/);
  // SFT's second seed stopped at 40: past it one seed remains, so the band closes there.
  const sft = report.groups[1].curves.ce;
  assert.equal(sft.length, STEPS);
  assert.deepEqual([sft[39].n, sft[40].n, sft[59].std], [2, 1, 0]);
  const bandPoints = ((await training.locator('path.band[data-key="sft"]').getAttribute('d')) ?? '').split(/[MLZ]/);
  assert.equal(bandPoints.filter(Boolean).length, 2 * STEPS, 'upper and lower edge over every step');
  // Accuracy is sparse: a dot per evaluation (0, 20, 40, 60; 0-40 for the stopped seed too).
  assert.equal(await accuracy.locator('circle.point').count(), 4 * 3);

  // Hiding a group removes its line and band from both charts and is kept with setState.
  await page.locator('.group-list .legend-item[data-key="sft"]').click();
  assert.equal(await page.locator('.curve-chart path.series.mean[data-key="sft"]').count(), 0);
  assert.equal(await page.locator('.curve-chart path.band').count(), 4);
  assert.equal(await page.locator('.legend-item[data-key="sft"]').getAttribute('aria-pressed'), 'false');
  assert.deepEqual(await page.evaluate('window.savedState.hidden'), ['sft']);
  // The compared folders are kept too: the host reopens the panel on them after a reload.
  const restore = CompareRestoreState.parse(await page.evaluate('window.savedState'));
  assert.deepEqual(restore.dirs, [
    '/runs/solar-0',
    '/runs/solar-1',
    '/runs/sft-0',
    '/runs/sft-1',
    '/runs/solar-tau2-0',
  ]);
  await page.locator('.group-list .legend-item[data-key="sft"]').click();
  assert.equal(await page.locator('.curve-chart path.band').count(), 6);

  // The training metric switches to total loss.
  await pickOption(training.locator('vscode-single-select'), 'loss');
  assert.match((await training.locator('h3').textContent()) ?? '', /Training loss/);

  // Accuracy table: the base model row, then every group; a star on low-resource languages.
  const accRows = page.locator('.accuracy-table tr[data-group]');
  assert.deepEqual(await accRows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-group'))), [
    'base (step 0)',
    'solar',
    'sft',
    'solar-tau2',
  ]);
  assert.equal(await page.locator('.accuracy-table tr.base-row').count(), 1);
  assert.ok((await page.locator('.accuracy-table th').allTextContents()).includes('sw*'));
  const solarEn = report.groups[0].accuracy.en;
  assert.equal(
    (await page.locator('.accuracy-table tr[data-group="solar"] td').first().textContent())?.trim(),
    `${(solarEn.mean * 100).toFixed(1)} ± ${(solarEn.std * 100).toFixed(1)}`,
  );

  // Delta table: base, sft, solar-tau2 against solar; every cell is marked or coloured.
  assert.match((await page.locator('.delta-table caption').textContent()) ?? '', /vs solar/);
  assert.deepEqual(
    await page.locator('.delta-table tr[data-group]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-group'))),
    ['base (step 0)', 'sft', 'solar-tau2'],
  );
  const noise = within(report, true);
  assert.ok(noise > 0 && within(report, false) > 0, 'the fixture has deltas inside and outside seed noise');
  assert.equal(await page.locator('.delta-table td.within-noise').count(), noise);
  assert.equal(await page.locator('.delta-table td.within-noise .noise-mark').first().textContent(), '≈ noise');
  const single = page.locator('.delta-table tr[data-group="solar-tau2"] td');
  assert.equal(await single.count(), report.languages.length);
  assert.equal(
    await page.locator('.delta-table tr[data-group="solar-tau2"] td.noise-unknown').count(),
    report.languages.length,
    'one seed: spread unknown',
  );
  assert.equal(
    await page.locator('.delta-table td.gain, .delta-table td.loss').count(),
    within(report, false),
    'only deltas outside the noise are coloured',
  );
  const sftEn = report.deltas.find((d) => d.label === 'sft')!.accuracy.en;
  const enCell = page.locator('.delta-table tr[data-group="sft"] td').first();
  assert.match(
    (await enCell.textContent()) ?? '',
    new RegExp(`^[+−±]${Math.abs(sftEn.delta * 100).toFixed(1)} ± ${(sftEn.spread! * 100).toFixed(1)}`),
  );

  // The stopped seed is marked, and named in the banner.
  assert.equal(await page.locator('.member.unfinished').count(), 1);
  assert.match(
    (await page.locator('.member.unfinished').textContent()) ?? '',
    /unfinished: step 40\/60, figures from step 40/,
  );
  assert.match((await page.locator('.unfinished-banner').textContent()) ?? '', /1 run did not finish \(sft-1\)/);

  // Hover read-out: every shown group's mean ± std at the nearest step.
  const box = (await training.locator('rect.overlay').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  assert.match(
    (await training.locator('.readout').textContent()) ?? '',
    /^step \d+ · solar [\d.]+ ± [\d.]+ \(2 seeds\)/,
  );

  await page.screenshot({ path: path.join(WEBVIEW_OUT, 'compare-panel-dark.png'), fullPage: true });
  assert.deepEqual(w.errors, [], 'no script errors or CSP violations');
  await page.close();
});

test("the page asks for a run's metrics and for a refresh; progress and failure show; light theme", async () => {
  const w = await open('light');
  const { page } = w;
  // A panel restored after a reload whose comparison failed says so instead of "Loading…".
  await w.post({ type: 'progress', state: 'failed', message: 'no run at /runs/gone' });
  await w.waitFor('document.querySelector("#root .error")?.textContent.includes("/runs/gone")');
  await w.post(snapshot);
  await page.locator('.member button.link').first().waitFor();
  await page.locator('.member button.link', { hasText: 'sft-1' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  assert.deepEqual((await w.posted()).slice(1), [{ type: 'openMetrics', runDir: '/runs/sft-1' }, { type: 'refresh' }]);

  await w.post({ type: 'progress', state: 'comparing' });
  await w.waitFor('document.querySelector(".compare-status").textContent === "Comparing…"');
  assert.equal(await page.getByRole('button', { name: 'Refresh' }).isDisabled(), true);
  await w.post({ type: 'progress', state: 'failed', message: 'no config.json' });
  await w.waitFor('document.querySelector(".compare-status").textContent.includes("no config.json")');
  assert.equal(await page.getByRole('button', { name: 'Refresh' }).isDisabled(), false);
  // A message of the wrong shape is ignored; the comparison stays.
  await page.evaluate(`window.postMessage(${JSON.stringify({ type: 'snapshot', report: { groups: [] } })}, '*')`);
  assert.equal(await page.locator('.curve-chart path.series.mean').count(), 6);

  // A new snapshot (the refreshed comparison) replaces the tables.
  const fewer = buildReport([run('solar', 0.5, 0, 0.08, 0.02), run('sft', 0, 0, 0.02, 0.03)]);
  await w.post({ type: 'snapshot', report: fewer, comparedAt: '2025-01-01T12:05:00Z' });
  await w.waitFor(
    'document.querySelectorAll(".curve-chart").length === 2 && document.querySelectorAll(".curve-chart path.series.mean").length === 4',
  );
  assert.equal(await page.locator('.delta-table td.noise-unknown').count(), 2 * fewer.languages.length);
  assert.equal(await page.locator('.unfinished-banner.hidden').count(), 1);
  assert.equal(await page.getByRole('status').textContent(), '');

  await w.post(snapshot);
  await w.waitFor('document.querySelectorAll(".curve-chart path.series.mean").length === 6');
  await page.mouse.move(0, 0); // off the Refresh button: the shot shows it unhovered
  await page.screenshot({ path: path.join(WEBVIEW_OUT, 'compare-panel-light.png'), fullPage: true });
  assert.deepEqual(w.errors, []);
  await page.close();
});

test('each chart has a table view with its numbers; high-contrast themes draw borders; screenshots', async () => {
  for (const theme of ['hc-dark', 'hc-light'] as const) {
    const w = await open(theme);
    const { page } = w;
    await w.post(snapshot);
    await page.locator('.curve-chart path.series.mean').first().waitFor();
    const training = page.locator('.curve-chart').nth(0);
    await training.locator('input[type="range"]').fill('0'); // unsmoothed: the report's own figures
    await training.locator('details.chart-table summary').click();
    await training.locator('details.chart-table tbody tr').first().waitFor();
    const rows = await training
      .locator('details.chart-table tr')
      .evaluateAll((rs) => rs.map((r) => [...r.children].map((c) => (c.textContent ?? '').trim())));
    assert.deepEqual(rows[0], ['step', 'solar', 'sft', 'solar-tau2']);
    assert.equal(rows.length, 1 + STEPS, 'a row per step');
    const solar = report.groups[0].curves.ce;
    const sftLast = report.groups[1].curves.ce.at(-1)!;
    assert.deepEqual(rows[1].slice(0, 2), [
      String(solar[0].step),
      `${formatValue(solar[0].mean)} ± ${formatValue(solar[0].std)} (2 seeds)`,
    ]);
    assert.equal(rows[STEPS][2], `${formatValue(sftLast.mean)} ± ${formatValue(sftLast.std)} (1 seed)`);
    const border = theme === 'hc-dark' ? 'rgb(111, 195, 223)' : 'rgb(15, 74, 133)';
    const refresh = page.getByRole('button', { name: 'Refresh' });
    assert.deepEqual(
      await refresh
        .locator('.base') // a vscode-button draws its border on this part of its shadow root
        .evaluate((e) => [getComputedStyle(e).borderTopStyle, getComputedStyle(e).borderTopColor]),
      ['solid', border],
      'the button is drawn by its border',
    );
    await page.mouse.move(0, 0);
    await page.screenshot({ path: path.join(WEBVIEW_OUT, `compare-panel-${theme}.png`), fullPage: true });
    assert.deepEqual(w.errors, []);
    await page.close();
  }
});
