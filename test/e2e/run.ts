// End-to-end test in a real VS Code (code-server), driven in headless Chromium (browser.ts):
// the packaged .vsix is installed, a copy of examples/ opened, "SOLAR: Start Run" run from
// the palette on the demo config; the run must appear in the Runs tree and reach a few
// steps; "SOLAR: Open Metrics" from the palette must open its Metrics panel, whose loss chart
// grows while the run trains; the run is stopped from the tree and ends `stopped` with a
// checkpoint on disk; the sidebar Metrics view then shows it with its loss sparkline, and
// after a window reload the Metrics panel is restored on the run.
// Screenshots of each stage go to test-output/e2e/. `npm run test:e2e`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { findChromium, launchChromium } from './browser';
import { CodeServer, ensureCodeServer, ensureNode24, installExtension, ROOT } from './codeServer';

const OUT = path.join(ROOT, 'test-output', 'e2e');
const OVERALL_MS = 15 * 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let shot = 0;
async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(OUT, `${String(++shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file });
  process.stderr.write(`e2e: screenshot ${path.relative(ROOT, file)}\n`);
}

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined | null | false>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(500);
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
  );
}

async function palette(page: Page, command: string, pick?: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first();
  // The extension's commands appear only once the extension host has scanned it, which
  // can lag the workbench by many seconds: reopen the palette until the command is listed.
  await waitFor(`"${command}" in the command palette`, 120_000, async () => {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill(`>${command}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      return true;
    } catch {
      await page.keyboard.press('Escape');
      return undefined;
    }
  });
  await page.keyboard.press('Enter');
  if (pick) {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().waitFor({ timeout: 30_000 });
    await input.fill(pick);
    await sleep(300);
    await page.keyboard.press('Enter');
  }
}

/**
 * The webview whose page holds `selector`. Webviews in code-server are nested iframes (the
 * host frame, then #active-frame with the page), one per view or panel, so with the Metrics
 * view and a panel both open the right one is found by what it shows.
 */
async function webviewWith(page: Page, selector: string, what: string, timeoutMs: number): Promise<FrameLocator> {
  const hosts = page.frameLocator('iframe.webview.ready');
  return waitFor(what, timeoutMs, async () => {
    const n = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < n; i++) {
      const frame = hosts.nth(i).frameLocator('#active-frame');
      if (await frame.locator(selector).count()) return frame;
    }
    return undefined;
  });
}

function runRow(page: Page) {
  return page.locator('.pane-body .monaco-list-row', { hasText: /demo/ }).filter({ hasText: /·/ }).first();
}

async function scenario(page: Page, server: CodeServer, workspace: string): Promise<void> {
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 120_000 });
  await sleep(2000); // let the workbench settle (extensions scanned, welcome page open)
  await screenshot(page, 'workbench');

  await palette(page, 'SOLAR: Start Run', 'demo.solar.json');
  await screenshot(page, 'start-run');

  // The SOLAR container in the activity bar, with the Runs tree.
  await page
    .locator('.activitybar .action-item a[aria-label^="SOLAR"], .activitybar .action-label[aria-label^="SOLAR"]')
    .first()
    .click({ timeout: 60_000 });
  const row = runRow(page);
  await row.waitFor({ timeout: 60_000 });
  const runsDir = path.join(workspace, '.solar', 'runs');
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

  // Open Metrics from the palette (the only run: no pick): the panel draws the loss chart
  // and appends to it while the run trains.
  await palette(page, 'SOLAR: Open Metrics');
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

  const runDir = path.join(runsDir, fs.readdirSync(runsDir)[0]);
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
  fs.mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
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
    process.exit(1);
  }, OVERALL_MS);
  try {
    server = await CodeServer.start(node24, entry, dirs, workspace, path.join(OUT, 'code-server.log'));
    browser = await launchChromium(chromiumBuild);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await scenario(page, server, workspace);
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
