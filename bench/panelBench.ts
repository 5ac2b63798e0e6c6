// `npm run bench` (after run.ts): what dist/webview.js is made of (webviewBundle.ts), then
// the Metrics panel in Chromium: the built bundle in the test page (test/helpers/
// webviewPage.ts: the panel's CSP, stub acquireVsCodeApi) fed what the host sends for a
// long run: a snapshot of 100,000 train events x 10 languages plus an eval every 500 steps
// (accuracy, counts, two 10 x 10 similarity matrices, 8 layers, separability,
// consistency), then deltas of 100 train events. Figures, not assertions: time from the
// message to the next frame after it was handled (validation, model, every card drawn,
// layout), the CPU all Chromium processes spent meanwhile (less swayed by a busy machine),
// medians over fresh pages, and the page's JS heap after a GC.
// PANEL_BENCH_BUNDLE=path measures another build of dist/webview.js (an older commit's).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium } from '../test/e2e/browser';
import { openWebview } from '../test/helpers/webviewPage';
import { printWebviewBundle } from './webviewBundle';

const ROOT = path.resolve(__dirname, '..');
/** Another build of the bundle to measure (e.g. an older commit's, for a before/after figure). */
const BUNDLE = process.env.PANEL_BENCH_BUNDLE;
const STEPS = 100_000;
const LANGUAGES = ['en', 'de', 'es', 'fr', 'hi', 'ja', 'sw', 'te', 'yo', 'zh'];
const EVAL_EVERY = 500;
const APPEND = 100;
const PAGES = 3;
const APPENDS = 10;

/** The page's window, as the functions run there see it (this file is type-checked without the DOM). */
interface PageWindow {
  [name: string]: unknown;
  addEventListener(type: 'message', listener: () => void, options: { once: boolean }): void;
  postMessage(message: unknown, targetOrigin: string): void;
  requestAnimationFrame(callback: () => void): number;
}

interface StreamSpec {
  from: number;
  to: number;
  langs: string[];
  evalEvery: number;
  /** Window property the message is left on. */
  as: string;
  snapshot: boolean;
}

/**
 * Builds the message inside the page (no 50 MB of JSON through the debugger): the same
 * shapes as the trainer writes (protocol/metrics.ts), values drifting like a real run.
 */
export function buildInPage(s: StreamSpec): number {
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const per = (langs: string[], f: (i: number) => number) => Object.fromEntries(langs.map((l, i) => [l, round(f(i))]));
  const events: unknown[] = [];
  const evalAt = (step: number) => {
    const t = Math.min(1, step / 50_000);
    const matrix = s.langs.map((_, r) =>
      s.langs.map((__, c) => (r === c ? 1 : round(0.3 + 0.6 * t - 0.02 * Math.abs(r - c)))),
    );
    return {
      kind: 'eval',
      step,
      accuracy: per(s.langs, (i) => Math.min(1, 0.2 + 0.5 * t - 0.02 * i)),
      scored: per(s.langs, () => 250),
      skipped: { te: { tooLong: 3 } },
      similarity: { languages: s.langs, matrix },
      softTokenSimilarity: { languages: s.langs, matrix },
      separability: { silhouette: round(0.4 - 0.3 * t), probeAccuracy: round(0.95 - 0.4 * t), chance: 0.1 },
      consistency: per(s.langs.slice(1), (i) => 0.3 + 0.4 * t - 0.01 * i),
      layerSimilarity: [1, 2, 3, 4, 5, 6, 7, 8].map((layer) =>
        per(s.langs.slice(1), (i) => 0.1 * layer * t - 0.01 * i),
      ),
      accuracyMean: round(0.3 + 0.4 * t),
      items: 250 * s.langs.length,
    };
  };
  if (s.snapshot && s.from <= 1) events.push(evalAt(0));
  for (let step = s.from; step <= s.to; step++) {
    const decay = Math.exp(-step / 20_000);
    // Noisy like real per-step losses, with a rare spike.
    const noise = (i: number) => 0.15 * Math.sin(step * 1.7 + i) * Math.cos(step * 0.31) + (step % 9973 === 0 ? 2 : 0);
    events.push({
      kind: 'train',
      step,
      time: '2025-01-01T00:00:00.000Z',
      loss: round(2 + 3 * decay + noise(0)),
      ce: per(s.langs, (i) => 1.5 + i * 0.1 + 2 * decay + noise(i)),
      align: per(s.langs.slice(1), (i) => 0.5 * decay + 0.05 * noise(i)),
      lr: 0.0003,
      gradNorm: 1.2,
      tokensPerSec: 1800,
      stepMs: 410,
    });
    if (step % s.evalEvery === 0) events.push(evalAt(step));
  }
  const run = {
    id: 'long-20250101-000000',
    name: 'long',
    dir: '/runs/long-20250101-000000',
    state: 'running',
    step: s.to,
    totalSteps: 200_000,
    loss: 2.1,
    checkpoints: [],
    resumable: false,
  };
  const msg = s.snapshot
    ? { type: 'snapshot', run, config: { pivot: 'en', lowResource: ['sw', 'te', 'yo'] }, events }
    : { type: 'events', run, events };
  (globalThis as unknown as PageWindow)[s.as] = msg;
  return events.length;
}

/**
 * Posts the message left on `window[name]` and resolves with the milliseconds until the
 * frame after the panel handled it (the panel's listener was added first, so it runs first).
 */
export function postAndTime(name: string): Promise<number> {
  const w = globalThis as unknown as PageWindow;
  const msg = w[name];
  delete w[name];
  return new Promise((resolve) => {
    const t0 = performance.now();
    w.addEventListener(
      'message',
      () => w.requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0)),
      { once: true },
    );
    w.postMessage(msg, '*');
  });
}

/** The page's JS heap after a garbage collection, in MiB. */
export async function heapMB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize / 2 ** 20;
}

/** CPU seconds every Chromium process has used so far: figures that the machine's load does not inflate as it does wall time. */
export async function cpuSeconds(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession();
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  await cdp.detach();
  return processInfo.reduce((n, p) => n + p.cpuTime, 0);
}

/** Wall and CPU milliseconds of posting the message left on `window[name]` until the frame after it. */
async function timed(browser: Browser, page: Page, name: string): Promise<{ wall: number; cpu: number }> {
  const cpu0 = await cpuSeconds(browser);
  const wall = await page.evaluate(postAndTime, name);
  return { wall, cpu: ((await cpuSeconds(browser)) - cpu0) * 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface PageFigures {
  first: { wall: number; cpu: number };
  appends: { wall: number; cpu: number }[];
  heapBeforeMB: number;
  heapAfterMB: number;
  pathChars: number;
}

async function onePage(browser: Browser): Promise<PageFigures> {
  const w = await openWebview(browser, {
    view: 'panel',
    styles: ['webview.css', 'panel.css', 'generations.css'],
    viewport: { width: 1200, height: 900 },
  });
  const { page } = w;
  if (BUNDLE) {
    await page.route('**/dist/webview.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(BUNDLE) }),
    );
    await page.reload();
  }
  await w.waitFor('window.posted.length > 0'); // ready
  // tsx compiles with keepNames: the functions sent to the page call a __name helper.
  await page.evaluate('globalThis.__name = (f) => f');
  const heapBeforeMB = await heapMB(page);
  const spec = { langs: LANGUAGES, evalEvery: EVAL_EVERY };
  await page.evaluate(buildInPage, { ...spec, from: 1, to: STEPS, as: 'benchSnapshot', snapshot: true });
  const first = await timed(browser, page, 'benchSnapshot');
  const drawn = await page.evaluate('document.querySelectorAll(".loss-chart path.series").length');
  if (drawn !== LANGUAGES.length + 1)
    throw new Error(`the loss chart drew ${drawn} lines, not ${LANGUAGES.length + 1}`);
  const appends: PageFigures['appends'] = [];
  for (let k = 0; k < APPENDS; k++) {
    const from = STEPS + 1 + k * APPEND;
    await page.evaluate(buildInPage, { ...spec, from, to: from + APPEND - 1, as: 'benchDelta', snapshot: false });
    appends.push(await timed(browser, page, 'benchDelta'));
  }
  const last = STEPS + APPENDS * APPEND;
  const header = String(await page.evaluate('document.querySelector(".run-header").textContent'));
  if (!header.includes(`step ${last}`)) throw new Error(`the header does not show step ${last}: ${header}`);
  const heapAfterMB = await heapMB(page);
  const pathChars = Number(
    await page.evaluate(
      '[...document.querySelectorAll(".loss-chart path.series")].reduce((n, p) => n + p.getAttribute("d").length, 0)',
    ),
  );
  if (w.errors.length) throw new Error(`page errors: ${w.errors.join('; ')}`);
  await page.close();
  return { first, appends, heapBeforeMB, heapAfterMB, pathChars };
}

export async function panelBench(): Promise<void> {
  if (!BUNDLE) {
    const build = spawnSync('node', ['esbuild.config.mjs'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
  }
  const browser = await launchChromium(await findChromium());
  try {
    const runs: PageFigures[] = [];
    for (let i = 0; i < PAGES; i++) runs.push(await onePage(browser));
    const evals = Math.floor(STEPS / EVAL_EVERY) + 1;
    if (BUNDLE) console.log(`panel       bundle ${BUNDLE}`);
    console.log(
      `panel       Metrics panel in Chromium: snapshot of ${STEPS.toLocaleString('en')} train events x ${LANGUAGES.length} languages + ${evals} evals`,
    );
    const firsts = runs.map((r) => r.first);
    const appends = runs.flatMap((r) => r.appends);
    const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
    console.log(
      `panel       first render ${ms(firsts.map((f) => f.wall))} (CPU ${ms(firsts.map((f) => f.cpu))}), median of ${PAGES} pages: ${firsts.map((f) => f.wall.toFixed(0)).join(', ')} ms`,
    );
    console.log(
      `panel       append ${APPEND} events ${ms(appends.map((a) => a.wall))} (CPU ${ms(appends.map((a) => a.cpu))}), median of ${appends.length}; max ${Math.max(...appends.map((a) => a.wall)).toFixed(0)} ms`,
    );
    console.log(`panel       (CPU: all Chromium processes; wall time grows with the machine's load, CPU time less so)`);
    const r = runs[0];
    console.log(
      `panel       JS heap ${r.heapBeforeMB.toFixed(1)} MB empty, ${r.heapAfterMB.toFixed(1)} MB with the run; loss chart paths ${(r.pathChars / 1024).toFixed(0)} KB of d`,
    );
  } finally {
    await browser.close();
  }
}

if (require.main === module) {
  printWebviewBundle()
    .then(panelBench)
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
