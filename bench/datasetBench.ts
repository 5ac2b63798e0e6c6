// `npm run bench` (last): the dataset editor and scoring, as figures (no assertions).
// 1. Opening 20,000 items (the synthetic generator's, 7 languages): the host building its
//    snapshot (DatasetRows.reset: every line parsed and checked) and the message's size;
//    then, in Chromium (the built dist/webview.js under the editor's CSP), the time from the
//    snapshot message to the frame after the grid drew, and the page's JS heap after a GC.
// 2. A cell edit, end to end except VS Code's own applyEdit: in the page, Ctrl+Enter in
//    the cell editor until the `edit` message is posted; in the host, validating that
//    message, planning the text change (planAction) and catching the rows up with the
//    changed document (DatasetRows.update, which re-checks the file's cross-line problems);
//    in the page again, the delta message until the frame that shows it.
// 3. Scoring throughput: `solar data score` (the built CLI, wasm) with the demo config's
//    model (tiny, 512 tokens, fresh weights: the speed does not depend on them) over the
//    example eval set, as the trainer reports it (items/s, model load excluded).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DatasetRows } from '../extension/datasetEditor/datasetRows';
import { planAction } from '../extension/datasetEditor/editPlan';
import { DatasetToHost, type HostToDataset } from '../protocol/datasetMessages';
import { OptimizerConfig } from '../protocol/runConfig';
import { findChromium, launchChromium } from '../test/e2e/browser';
import { openWebview } from '../test/helpers/webviewPage';
import { selectBackend } from '../trainer/backend/selectBackend';
import { generateItems } from '../trainer/data/generate/generate';
import { writeCheckpoint } from '../trainer/model/checkpoint';
import { initParams } from '../trainer/model/model';
import { presetConfig } from '../trainer/model/modelConfig';
import { AdamW } from '../trainer/train/optimizer';
import { readConfigFile } from '../trainer/train/resolveConfig';
import { heapMB, postAndTime } from './panelBench';

const ROOT = path.resolve(__dirname, '..');
const ITEMS = 20_000;
const LANGUAGES = ['en', 'es', 'fr', 'zh', 'sw', 'yo', 'te'];
const EDITS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t0: number) => performance.now() - t0;

/** The document as the host holds it: its lines, with the LineSource view planAction reads. */
function documentLines(): string[] {
  const items = generateItems({ count: ITEMS, languages: LANGUAGES, seed: 1 });
  return items.map((it) => JSON.stringify(it));
}

async function send(page: Page, msg: HostToDataset): Promise<number> {
  await page.evaluate((m) => {
    (globalThis as unknown as Record<string, unknown>).benchMessage = m;
  }, msg);
  return page.evaluate(postAndTime, 'benchMessage');
}

async function gridFigures(browser: Browser, lines: string[]): Promise<void> {
  const host = new DatasetRows('en');
  let t0 = performance.now();
  const { rows, fileProblems } = host.reset(lines);
  const resetMs = ms(t0);
  const snapshot: HostToDataset = { type: 'snapshot', file: 'big.parallel.jsonl', pivot: 'en', rows, fileProblems };
  const bytes = JSON.stringify(snapshot).length;
  console.log(
    `dataset editor, ${ITEMS} items x ${LANGUAGES.length} languages (${(lines.join('\n').length / 2 ** 20).toFixed(1)} MB): host snapshot (parse + check every line) ${resetMs.toFixed(0)} ms, message ${(bytes / 2 ** 20).toFixed(1)} MB`,
  );

  const w = await openWebview(browser, {
    view: 'dataset',
    styles: ['webview.css', 'dataset.css'],
    viewport: { width: 1400, height: 900 },
  });
  const { page } = w;
  await w.waitFor('window.posted.length > 0'); // ready
  await page.evaluate('globalThis.__name = (f) => f'); // tsx's keepNames helper, for functions sent to the page
  // When Ctrl+Enter reaches the page, and when the page hands a message to the host.
  await page.evaluate(`
    window.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.ctrlKey) window.benchKeyAt = performance.now(); }, true);
    const push = window.posted.push.bind(window.posted);
    window.posted.push = (m) => { window.benchPostedAt = performance.now(); return push(m); };
  `);
  const heapBefore = await heapMB(page);
  const firstMs = await send(page, snapshot);
  const shown = await page.locator('.ds-body .ds-row').count();
  const heapAfter = await heapMB(page);
  console.log(
    `  open in Chromium: first frame ${firstMs.toFixed(0)} ms after the snapshot (${shown} rows in the DOM), JS heap ${heapBefore.toFixed(1)} -> ${heapAfter.toFixed(1)} MB`,
  );

  const doc = [...lines];
  const source = { length: doc.length, at: (i: number) => doc[i], eol: '\n' };
  const page1: number[] = [];
  const hostMs: number[] = [];
  const page2: number[] = [];
  for (let k = 0; k < EDITS; k++) {
    const index = 2 + k;
    await page.locator(`.ds-body .ds-row[data-index="${index}"] [data-cell="prompt:sw"]`).click();
    const editor = page.locator('textarea.ds-editor');
    await editor.fill(`edited ${k}`);
    const before = (await w.posted()).length;
    await editor.press('Control+Enter');
    await w.waitFor(`window.posted.length > ${before}`);
    const posted = (await w.posted()).slice(before);
    page1.push(Number(await page.evaluate('window.benchPostedAt - window.benchKeyAt')));
    const raw = posted.find((m) => (m as { type?: string }).type === 'edit');
    if (!raw) throw new Error(`the page posted no edit: ${JSON.stringify(posted)}`);

    t0 = performance.now();
    const action = DatasetToHost.parse(raw);
    if (action.type !== 'edit') throw new Error('not an edit');
    const plan = planAction(action, source, (t) => host.idOf(t), 'en');
    if (!plan || !('change' in plan)) throw new Error(`no change planned: ${JSON.stringify(plan)}`);
    const { change } = plan;
    // A one-line edit, as VS Code applies it: the line's text replaced.
    const line = change.start.line;
    doc[line] = doc[line].slice(0, change.start.character) + change.text + doc[line].slice(change.end.character);
    const delta = host.update(source, line);
    if (!delta) throw new Error('the rows did not change');
    hostMs.push(ms(t0));
    page2.push(await send(page, { type: 'rows', ...delta }));
  }
  console.log(
    `  cell edit (median of ${EDITS}): page Ctrl+Enter -> edit posted ${median(page1).toFixed(1)} ms; host validate + plan + rows update ${median(hostMs).toFixed(1)} ms; page delta -> frame ${median(page2).toFixed(1)} ms (VS Code's applyEdit between them not included)`,
  );
  await page.close();
}

async function scoringFigures(): Promise<void> {
  await selectBackend('wasm');
  const config = readConfigFile(path.join(ROOT, 'examples', 'demo.solar.json'));
  const mc = presetConfig('tiny', config.model.maxSeqLen ?? 512);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'solar-bench-score-'));
  const params = initParams(mc, 0);
  writeCheckpoint(runDir, 0, params, new AdamW(OptimizerConfig.parse({}), params), mc, config);
  const data = path.join(ROOT, 'examples', 'data', 'eval.parallel.jsonl');
  const out = path.join(runDir, 'eval.scores.json');
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'trainer.js'), 'data', 'score', runDir, data, '--out', out],
    {
      encoding: 'utf8',
    },
  );
  const wall = ms(t0) / 1000;
  fs.rmSync(runDir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`solar data score failed:\n${r.stderr}`);
  const said = /scored (\d+) items in ([\d.]+)s \(([\d.]+) items\/s\)/.exec(r.stderr);
  if (!said) throw new Error(`no "scored N items" line:\n${r.stderr}`);
  console.log(
    `scoring (solar data score, demo model tiny/512, wasm): ${said[1]} items x ${LANGUAGES.length} languages in ${said[2]} s = ${said[3]} items/s (${wall.toFixed(1)} s with start-up and model load)`,
  );
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'webview.js'))) throw new Error('run npm run build first');
  const lines = documentLines();
  const browser = await launchChromium(await findChromium());
  try {
    await gridFigures(browser, lines);
  } finally {
    await browser.close();
  }
  await scoringFigures();
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
