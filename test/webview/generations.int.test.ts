// The Metrics panel's Generations card (dist/webview.js) in real Chromium, fed the way the
// host answers it: after the first snapshot the page asks for the eval file list, then for
// the newest file; a 1000-item report is browsed a page at a time, filtered (wrong,
// disagreeing with the pivot), with languages picked, and the choices survive a reload; a
// file the host cannot read shows its error. Screenshots go to test-output/webview/.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EvalFileInfo, HostToWebview } from '../../protocol/webviewMessages';
import { evalReport, expectedItems } from '../helpers/evalFixture';
import { eventStream, runInfo } from '../helpers/metricsFixture';
import {
  chromiumForFile,
  controlValue,
  openWebview,
  pickOption,
  type Theme,
  WEBVIEW_OUT,
  type WebviewPage,
} from '../helpers/webviewPage';

const browser = chromiumForFile();

const N = 1000;
const want = expectedItems(N);
const dir = '/runs/demo-20250101-000000';
const snapshot: HostToWebview = {
  type: 'snapshot',
  run: runInfo(dir, 60),
  config: { pivot: 'en', lowResource: ['sw', 'te'] },
  events: eventStream(0, 60),
};
const files: EvalFileInfo[] = [
  { name: 'arith-step-000150.json', data: 'arith', step: 150, mtimeMs: 2 },
  { name: 'arith-step-000010.json', data: 'arith', step: 10, mtimeMs: 1 },
];
const newest = { type: 'request', request: { what: 'evalReport', name: 'arith-step-000150.json' } };

async function open(theme: Theme, savedState?: unknown): Promise<WebviewPage> {
  return openWebview(browser(), {
    view: 'panel',
    styles: ['webview.css', 'panel.css', 'generations.css'],
    theme,
    viewport: { width: 1100, height: 1000 },
    savedState,
  });
}

/** The host's side of the exchange: snapshot, the list when asked, then the newest report. */
async function serve(w: WebviewPage): Promise<void> {
  await w.post(snapshot);
  await w.waitFor('window.posted.some((m) => m.type === "request" && m.request.what === "evalFiles")');
  await w.post({ type: 'evalFiles', files });
  await w.waitFor('window.posted.some((m) => m.type === "request" && m.request.what === "evalReport")');
  await w.post({ type: 'evalReport', name: files[0].name, report: evalReport(N) });
  await w.page.locator('.gen-table').waitFor();
}

/** Item indices of the shown rows. */
async function rows(w: WebviewPage): Promise<number[]> {
  return (
    await w.page.locator('.gen-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-item')))
  ).map(Number);
}

async function shownRowsAre(w: WebviewPage, items: number[]): Promise<void> {
  await w.waitFor(
    `[...document.querySelectorAll(".gen-table tbody tr")].map((r) => r.dataset.item).join() === "${items.join()}"`,
  );
  assert.deepEqual(await rows(w), items);
}

test('browse a 1000-item evaluation: columns, pages, filters, languages, prompts', async () => {
  const w = await open('dark');
  const { page } = w;
  assert.deepEqual(await w.posted(), [{ type: 'ready' }], 'nothing asked before the first snapshot');
  await serve(w);
  assert.deepEqual((await w.posted()).slice(1), [{ type: 'request', request: { what: 'evalFiles' } }, newest]);

  // The newest file is picked; the pivot, then the low-resource languages, then the rest.
  assert.equal(await controlValue(page.locator('.generations vscode-single-select').first()), files[0].name);
  assert.deepEqual(await page.locator('.gen-table thead .gen-lang').allTextContents(), ['en', 'sw', 'te', 'zh']);
  const heads = await page.locator('.gen-table thead th').allTextContents();
  assert.equal(heads[0], 'Item');
  assert.match(heads[1], /pivot/);
  assert.match(heads[2], /low-resource/);
  const report = evalReport(N);
  assert.match(heads[2], new RegExp(`${(report.accuracy!.sw * 100).toFixed(1)}% of ${report.scored!.sw}`));
  // A page of rows is built, not the thousand.
  await shownRowsAre(w, [...Array(20).keys()]);
  assert.equal(await page.locator('.gen-page').textContent(), `items 1–20 of ${N} (page 1 of 50)`);
  assert.match((await page.locator('.gen-summary').textContent()) ?? '', /1000 items .*yo not evaluated/);

  // Item 3 (q4): sw answered 10 for gold 9, wrong and unlike the pivot; zh right.
  const row = page.locator('.gen-table tbody tr[data-item="3"]');
  assert.match((await row.locator('th').textContent()) ?? '', /q4\s*gold 9/);
  const sw = row.locator('td[data-lang="sw"]');
  assert.match((await sw.locator('.gen-text').textContent()) ?? '', /The answer is 10\./);
  assert.equal(await sw.locator('.gen-answer').textContent(), 'answer 10');
  assert.deepEqual(await sw.locator('.mark').allTextContents(), ['✗ wrong', '≠ pivot']);
  assert.deepEqual(await row.locator('td[data-lang="zh"] .mark').allTextContents(), ['✓ right']);
  assert.match(
    (await page.locator('tr[data-item="0"] td[data-lang="te"]').textContent()) ?? '',
    /skipped: the prompt does not fit/,
  );
  assert.match(
    (await page.locator('tr[data-item="0"] td[data-lang="zh"]').textContent()) ?? '',
    /not in this language/,
  );
  assert.equal(
    await page.locator('tr[data-item="7"] td[data-lang="zh"] .gen-answer').textContent(),
    'answer none found',
  );

  // The prompt is folded; opening it shows it whole.
  const prompt = sw.locator('details.gen-prompt');
  assert.equal(await prompt.locator('.gen-prompt-text').isVisible(), false);
  await prompt.locator('summary').click();
  assert.equal(await prompt.locator('.gen-prompt-text').textContent(), '[sw] Item 4: what is 3 + 6?\nShow your work.');

  const filter = page.locator('.generations vscode-single-select').nth(1);
  await pickOption(filter, 'wrong');
  await shownRowsAre(w, want.wrong.slice(0, 20));
  assert.equal(
    await page.locator('.gen-page').textContent(),
    `items 1–20 of ${want.wrong.length} (page 1 of ${Math.ceil(want.wrong.length / 20)})`,
  );
  await pickOption(filter, 'disagree');
  await shownRowsAre(w, want.disagree.slice(0, 20));
  await page.locator('.gen-pager vscode-button', { hasText: 'Next' }).click();
  await shownRowsAre(w, want.disagree.slice(20, 40));
  assert.equal(await page.locator('.gen-pager vscode-button', { hasText: 'Previous' }).isDisabled(), false);

  // Without zh only sw can disagree with the pivot; picking a language starts at page 1.
  await page.locator('.gen-langs vscode-checkbox[value="zh"]').click(); // checked: a click unchecks
  assert.equal(await page.locator('.gen-table thead th').count(), 4);
  await shownRowsAre(w, want.disagree.filter((i) => i % 3 === 0).slice(0, 20));
  // The last language cannot be switched off: there is always a column.
  for (const l of ['en', 'sw']) await page.locator(`.gen-langs vscode-checkbox[value="${l}"]`).click();
  await page.locator('.gen-langs vscode-checkbox[value="te"]').click();
  assert.equal(await page.locator('.gen-langs vscode-checkbox[value="te"]').getAttribute('checked'), '');
  // te alone never disagrees with the pivot: no rows, and the filter says so.
  await page.locator('.gen-body', { hasText: 'No item matches the filter in the shown languages.' }).waitFor();
  assert.deepEqual(
    await page
      .locator('.gen-langs vscode-checkbox[checked]')
      .evaluateAll((bs) => bs.map((b) => b.getAttribute('value'))),
    ['te'],
  );
  await page.locator('.gen-langs vscode-checkbox[value="sw"]').click();
  assert.deepEqual(await page.evaluate('window.savedState.generations'), {
    file: null,
    filter: 'disagree',
    langs: ['sw', 'te'],
    page: 0,
  });
  await page.screenshot({ path: path.join(WEBVIEW_OUT, 'generations-dark.png'), fullPage: true });
  const saved = await page.evaluate('window.savedState');
  assert.deepEqual(w.errors, [], 'no script errors or CSP violations');
  await page.close();

  // A reload (the same saved state) comes back to the same filter and languages.
  const again = await open('light', saved);
  await serve(again);
  assert.equal(await controlValue(again.page.locator('.generations vscode-single-select').nth(1)), 'disagree');
  assert.deepEqual(await again.page.locator('.gen-table thead .gen-lang').allTextContents(), ['sw', 'te']);
  await shownRowsAre(again, want.disagree.filter((i) => i % 3 === 0).slice(0, 20));
  await again.page.screenshot({ path: path.join(WEBVIEW_OUT, 'generations-light.png'), fullPage: true });
  assert.deepEqual(again.errors, []);
  await again.page.close();
});

test('another file is asked for when picked; a file the host cannot read shows why; a new list updates', async () => {
  const w = await open('dark');
  const { page } = w;
  await serve(w);
  await pickOption(page.locator('.generations vscode-single-select').first(), files[1].name);
  await w.waitFor('window.posted.at(-1).request?.name === "arith-step-000010.json"');
  assert.match((await page.locator('.gen-body').textContent()) ?? '', /Loading arith · step 10…/);
  // An answer for a file no longer picked is dropped.
  await w.post({ type: 'evalReport', name: files[0].name, report: evalReport(5) });
  await w.post({
    type: 'evalReport',
    name: files[1].name,
    error: '/runs/demo/evals/arith-step-000010.json (field "outputs.sw.2.correct"): expected boolean',
  });
  const alert = page.locator('.gen-body [role="alert"]');
  await alert.waitFor();
  assert.match(
    (await alert.textContent()) ?? '',
    /Could not read arith-step-000010\.json: .*field "outputs\.sw\.2\.correct"/,
  );

  // Back to the newest: still held, so not asked again.
  const asked = (await w.posted()).length;
  await pickOption(page.locator('.generations vscode-single-select').first(), files[0].name);
  await page.locator('.gen-table').waitFor();
  assert.equal((await w.posted()).length, asked);

  // A new evaluation appears: it is the newest, followed, and asked for.
  await w.post({
    type: 'evalFiles',
    files: [{ name: 'arith-step-000200.json', data: 'arith', step: 200, mtimeMs: 3 }, ...files],
  });
  await w.waitFor('window.posted.at(-1).request?.name === "arith-step-000200.json"');
  // None left: no empty pickers or pager, but what to do, with the command one click away.
  await w.post({ type: 'evalFiles', files: [] });
  await page.locator('.gen-body', { hasText: 'No evaluations yet: run Evaluate Checkpoint…' }).waitFor();
  assert.equal(await page.locator('.generations .controls').isVisible(), false, 'no empty file picker');
  assert.equal(await page.locator('.generations .gen-pager').isVisible(), false, 'no pager');
  const before = (await w.posted()).length;
  await page.locator('.generations vscode-button.gen-evaluate').click();
  assert.deepEqual((await w.posted()).slice(before), [
    { type: 'command', command: 'solar.evaluateCheckpoint', runDir: dir },
  ]);
  assert.deepEqual(w.errors, []);
  await page.close();
});
