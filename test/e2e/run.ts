// End-to-end test in a real VS Code (code-server), driven in headless Chromium (browser.ts):
// the packaged .vsix is installed and a copy of examples/ opened, where the CLI has trained
// a second run (the SFT baseline, 2 steps, as from a terminal) before VS Code starts.
// "SOLAR: Start Run" from the palette on the demo config; the run must appear in the Runs
// tree and reach a few steps; "SOLAR: Open Metrics" from the palette (picking the demo run)
// must open its Metrics panel, whose loss chart grows while the run trains; the run is
// stopped from the tree and ends `stopped` with a checkpoint on disk; the sidebar Metrics
// view then shows it with its loss sparkline, and after a window reload the Metrics panel
// is restored on the run. Then both runs, selected in the tree, are compared (Compare
// Selected Runs): the Compare panel shows the delta table and marks the stopped run
// unfinished. Last, the example eval set opens in the dataset editor's grid, one cell is
// edited and saved, and only that line changed on disk; reopened as text, a line broken by
// typing shows its diagnostic in the editor and the Problems view (datasetSteps.ts).
// Screenshots of each stage go to test-output/e2e/. `npm run test:e2e`.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium } from './browser';
import { CodeServer, ensureCodeServer, ensureNode24, installExtension, ROOT } from './codeServer';
import { breakDatasetLine, editDatasetCell } from './datasetSteps';
import { OUT, palette, screenshot, sleep, waitFor, webviewWith } from './steps';

const OVERALL_MS = 20 * 60_000;

/** A run's row in the Runs tree (its description has `·`; the Explorer's file rows do not). */
function runRow(page: Page, name: RegExp = /demo/) {
  return page.locator('.pane-body .monaco-list-row', { hasText: name }).filter({ hasText: /·/ }).first();
}

/** The one run folder of that config in the runs directory. */
function runDirOf(runsDir: string, configName: string): string {
  const ids = fs.readdirSync(runsDir).filter((id) => id.startsWith(`${configName}-`));
  assert.equal(ids.length, 1, `one ${configName} run in ${runsDir}: ${fs.readdirSync(runsDir).join(', ')}`);
  return path.join(runsDir, ids[0]);
}

/**
 * The second run for Compare Runs, trained by the CLI as a user would from a terminal:
 * the SFT baseline for 2 steps (with its step-0 and final evaluations) into the
 * workspace's runs folder. Started before code-server, awaited before the demo run starts
 * (two trainers on two cores would slow the demo past its time limits).
 */
function trainSecondRun(workspace: string, log: string): { done: Promise<number | null>; kill(): void } {
  const out = fs.openSync(log, 'w');
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'dist', 'trainer.js'),
      'train',
      path.join(workspace, 'sft-baseline.solar.json'),
      '--steps',
      '2',
      '--runs-dir',
      path.join(workspace, '.solar', 'runs'),
      '--quiet',
    ],
    { cwd: workspace, stdio: ['ignore', out, out] },
  );
  const done = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
  void done.finally(() => fs.closeSync(out));
  return {
    done,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The SOLAR container's Runs tree, opened from the activity bar unless it shows already. */
async function showRunsTree(page: Page): Promise<void> {
  if (await runRow(page).isVisible()) return; // a click on the active container would close it
  await page
    .locator('.activitybar .action-item a[aria-label^="SOLAR"], .activitybar .action-label[aria-label^="SOLAR"]')
    .first()
    .click({ timeout: 60_000 });
  await runRow(page).waitFor({ timeout: 60_000 });
}

async function scenario(
  page: Page,
  server: CodeServer,
  workspace: string,
  secondRun: Promise<number | null>,
): Promise<void> {
  const runsDir = path.join(workspace, '.solar', 'runs');
  let secondCode: number | null | undefined;
  void secondRun.then((c) => {
    secondCode = c;
  });

  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 120_000 });
  await sleep(2000); // let the workbench settle (extensions scanned, welcome page open)
  await screenshot(page, 'workbench');

  await waitFor(
    'the CLI to finish training the second run (sft-baseline)',
    600_000,
    async () => secondCode !== undefined,
  );
  assert.equal(secondCode, 0, 'the CLI run of sft-baseline.solar.json (test-output/e2e/second-run.log)');
  const sftDir = runDirOf(runsDir, 'sft-baseline');
  assert.equal(JSON.parse(fs.readFileSync(path.join(sftDir, 'status.json'), 'utf8')).state, 'completed');

  await palette(page, 'SOLAR: Start Run', 'demo.solar.json');
  await screenshot(page, 'start-run');

  // The SOLAR container in the activity bar, with the Runs tree.
  await page
    .locator('.activitybar .action-item a[aria-label^="SOLAR"], .activitybar .action-label[aria-label^="SOLAR"]')
    .first()
    .click({ timeout: 60_000 });
  const row = runRow(page);
  await row.waitFor({ timeout: 60_000 });
  const text = await waitFor('the run to reach step 3 in the Runs tree', 240_000, async () => {
    const t = (await row.textContent()) ?? '';
    const m = /running · (\d+)\/(\d+)/.exec(t);
    return m && Number(m[1]) >= 3 ? t : undefined;
  });
  process.stderr.write(`e2e: tree shows "${text}"\n`);
  const statusBar = await page
    .locator('.statusbar-item', { hasText: /demo \d+\/150/ })
    .first()
    .textContent({ timeout: 30_000 });
  process.stderr.write(`e2e: status bar shows "${statusBar}"\n`);
  await screenshot(page, 'running');

  // Open Metrics from the palette (two runs: pick the demo): the panel draws the loss chart
  // and appends to it while the run trains.
  await palette(page, 'SOLAR: Open Metrics', 'demo');
  const panel = await webviewWith(
    page,
    'main[data-view="panel"] .loss-chart svg path.series',
    'the Metrics panel to draw the loss chart',
    120_000,
  );
  const lossLine = panel.locator('.loss-chart svg path.series').first();
  const vertices = async () => ((await lossLine.getAttribute('d')) ?? '').split(/[ML]/).length - 1;
  const drawn = await vertices();
  const grown = await waitFor('the loss chart to grow while the run trains', 120_000, async () => {
    const n = await vertices();
    return n > drawn ? n : undefined;
  });
  process.stderr.write(`e2e: Metrics panel loss chart grew from ${drawn} to ${grown} points\n`);
  await screenshot(page, 'metrics-panel');

  const runDir = runDirOf(runsDir, 'demo');
  const pid = JSON.parse(fs.readFileSync(path.join(runDir, 'status.json'), 'utf8')).pid as number;

  // Stop from the tree's context menu.
  await row.click({ button: 'right' });
  const stopItem = page.locator('.monaco-menu .action-item', { hasText: 'Stop Run' }).first();
  await stopItem.waitFor({ timeout: 30_000 });
  await screenshot(page, 'context-menu');
  await stopItem.click();
  await waitFor('the run to show as stopped', 120_000, async () => /stopped/.test((await row.textContent()) ?? ''));
  await screenshot(page, 'stopped');

  const status = JSON.parse(fs.readFileSync(path.join(runDir, 'status.json'), 'utf8'));
  assert.equal(status.state, 'stopped', `status.json: ${JSON.stringify(status)}`);
  const ckpts = fs.readdirSync(path.join(runDir, 'checkpoints')).filter((n) => /^step-\d+$/.test(n));
  assert.ok(ckpts.length > 0, 'a checkpoint folder');
  assert.ok(
    fs.existsSync(path.join(runDir, 'checkpoints', ckpts.at(-1)!, 'model.safetensors')),
    'the checkpoint holds model.safetensors',
  );
  // The tree shows `stopped` as soon as the trainer has written it to status.json; the
  // process exits a moment later (a slow or busy machine widens that gap).
  await waitFor(`the trainer process (pid ${pid}) to exit`, 30_000, async () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  });
  process.stderr.write(`e2e: stopped at step ${status.step}, checkpoint ${ckpts.at(-1)}, trainer pid ${pid} gone\n`);

  // The Metrics view follows the clicked run, at a glance: its state and loss sparkline.
  await row.click();
  const frame = await webviewWith(page, 'main[data-view="metrics"] h2', 'the Metrics view to show the run', 60_000);
  await frame.locator('h2', { hasText: 'demo' }).waitFor({ timeout: 60_000 });
  await frame.locator('.state', { hasText: 'stopped' }).waitFor({ timeout: 30_000 });
  await frame.locator('svg.glance-spark path.glance-line').waitFor({ timeout: 30_000 });
  await screenshot(page, 'metrics-view');

  // After a window reload the Metrics panel comes back on the same run (its serializer).
  await palette(page, 'Developer: Reload Window');
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  const restored = await webviewWith(
    page,
    'main[data-view="panel"] .loss-chart svg path.series',
    'the Metrics panel to be restored after the reload',
    180_000,
  );
  await restored.locator('.run-header .state', { hasText: 'stopped' }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'metrics-panel-restored');

  await compareBothRuns(page, runDir, sftDir);
  await editDatasetCell(page, workspace);
  await breakDatasetLine(page, workspace);
}

/**
 * Compare Runs on the demo (stopped) and the SFT baseline (completed): both selected in
 * the Runs tree, Compare Selected Runs from the context menu; the Compare panel's delta
 * table has the other group's row (single seeds: spread unknown), and the stopped run is
 * marked unfinished.
 */
async function compareBothRuns(page: Page, demoDir: string, sftDir: string): Promise<void> {
  await showRunsTree(page);
  const demoRow = runRow(page);
  const sftRow = runRow(page, /sft-baseline/);
  await sftRow.waitFor({ timeout: 60_000 });
  await demoRow.click();
  await sftRow.click({ modifiers: ['ControlOrMeta'] });
  await waitFor('both runs selected in the Runs tree', 10_000, async () => {
    const selected = await page.locator('.pane-body .monaco-list-row.selected').allTextContents();
    return selected.some((t) => /demo/.test(t)) && selected.some((t) => /sft-baseline/.test(t));
  });
  await sftRow.click({ button: 'right' });
  const compareItem = page.locator('.monaco-menu .action-item', { hasText: 'Compare Selected Runs' }).first();
  await compareItem.waitFor({ timeout: 30_000 });
  await screenshot(page, 'compare-context-menu');
  await compareItem.click();
  // A menu opened by the same right-click can swallow a click that lands while it is still
  // settling: if it is still open, the hovered item takes Enter.
  await sleep(1000);
  if (await compareItem.isVisible()) {
    await compareItem.hover();
    await page.keyboard.press('Enter');
  }

  const compare = await webviewWith(
    page,
    'main[data-view="compare"] table.delta-table td.delta',
    'the Compare panel to show the delta table',
    180_000,
  );
  const title = (await compare.locator('.compare-header h2').textContent()) ?? '';
  assert.match(title, /demo/);
  assert.match(title, /sft-baseline/);
  // One row per group other than the reference (and the base model's): the other config's.
  const groups = await compare
    .locator('table.delta-table tr[data-group]')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-group')));
  assert.ok(
    groups.includes('demo') !== groups.includes('sft-baseline'),
    `the delta table has the non-reference group's row: ${groups.join(', ')}`,
  );
  const deltas = await compare.locator('table.delta-table td.delta .delta-value').allTextContents();
  assert.ok(deltas.length > 0, 'delta cells');
  for (const d of deltas) assert.match(d, /^[+−±]\d+\.\d ± (\?|\d+\.\d)$/, `a delta in points with its spread: ${d}`);
  assert.ok((await compare.locator('table.delta-table td.noise-unknown').count()) > 0, 'one seed each: spread unknown');
  const banner = (await compare.locator('.unfinished-banner').textContent()) ?? '';
  assert.ok(banner.includes(path.basename(demoDir)), `the stopped demo run is marked unfinished: "${banner}"`);
  assert.ok(!banner.includes(path.basename(sftDir)), 'the completed run is not');
  process.stderr.write(`e2e: Compare panel "${title}", deltas ${deltas.join(' | ')}\n`);
  await screenshot(page, 'compare-panel');
}

async function main(): Promise<void> {
  const t0 = Date.now();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const chromiumBuild = await findChromium();
  const node24 = ensureNode24();
  const entry = ensureCodeServer(node24);
  const pack = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm run package failed:\n${pack.stdout}\n${pack.stderr}`);
  const vsix = path.join(ROOT, 'solar-studio.vsix');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-e2e-'));
  const dirs = { userDataDir: path.join(tmp, 'user-data'), extensionsDir: path.join(tmp, 'extensions') };
  const workspace = path.join(tmp, 'examples');
  fs.cpSync(path.join(ROOT, 'examples'), workspace, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.solar`),
  });
  const second = trainSecondRun(workspace, path.join(OUT, 'second-run.log'));
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      // Saves happen when the test says so (the dataset steps check what reached the disk).
      'files.autoSave': 'off',
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'workbench.tips.enabled': false,
      'solar.trainer.stopGraceSeconds': 60,
    }),
  );
  installExtension(node24, entry, dirs, vsix);

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const guard = setTimeout(() => {
    process.stderr.write(`e2e: FAILED: over ${OVERALL_MS / 60000} minutes; killing code-server\n`);
    server?.stop();
    second.kill();
    process.exit(1);
  }, OVERALL_MS);
  try {
    server = await CodeServer.start(node24, entry, dirs, workspace, path.join(OUT, 'code-server.log'));
    browser = await launchChromium(chromiumBuild);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await scenario(page, server, workspace, second.done);
    process.stderr.write(`e2e: passed in ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);
  } catch (e) {
    if (page) await screenshot(page, 'failure').catch(() => {});
    const logs = spawnSync(
      'sh',
      [
        '-c',
        `tail -n 30 $(ls -t ${dirs.userDataDir}/logs/*/*/exthost*/exthost.log 2>/dev/null | head -1) 2>/dev/null; tail -n 30 $(ls -t ${dirs.userDataDir}/logs/*/*/exthost*/*SOLAR* 2>/dev/null | head -1) 2>/dev/null`,
      ],
      { encoding: 'utf8' },
    ).stdout;
    process.stderr.write(
      `e2e: FAILED: ${(e as Error).stack ?? e}\n--- code-server log ---\n${server?.logTail() ?? ''}\n--- extension host log ---\n${logs}\n`,
    );
    process.exitCode = 1;
  } finally {
    clearTimeout(guard);
    await browser?.close().catch(() => {});
    server?.stop();
    second.kill();
    // Any trainer still running in the temp workspace (e.g. after a failure) goes too.
    for (const dir of fs.existsSync(path.join(workspace, '.solar', 'runs'))
      ? fs.readdirSync(path.join(workspace, '.solar', 'runs'))
      : []) {
      try {
        const { pid, state } = JSON.parse(
          fs.readFileSync(path.join(workspace, '.solar', 'runs', dir, 'status.json'), 'utf8'),
        ) as { pid: number; state: string };
        if (state === 'running' || state === 'starting') process.kill(-pid, 'SIGKILL');
      } catch {
        // Not running, or not ours to kill.
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
