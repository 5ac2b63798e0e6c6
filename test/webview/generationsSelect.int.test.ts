// Evaluate Checkpoint's last step, in real Chromium: the host sends the eval file list with
// `select` naming the evaluation it just saved, and the Generations card shows that file
// (asking for it, first page, kept in the panel's state), even when it is not the newest
// and when the user had picked another; a `select` naming no listed file changes nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EvalFileInfo } from '../../protocol/webviewMessages';
import { evalReport } from '../helpers/evalFixture';
import { eventStream, runInfo } from '../helpers/metricsFixture';
import { chromiumForFile, controlValue, openWebview, type WebviewPage } from '../helpers/webviewPage';

const browser = chromiumForFile();

const files: EvalFileInfo[] = [
  { name: 'eval-step-000150.json', data: 'eval', step: 150, mtimeMs: 3 },
  { name: 'gsm-step-000100.json', data: 'gsm', step: 100, mtimeMs: 2 },
  { name: 'eval-step-000050.json', data: 'eval', step: 50, mtimeMs: 1 },
];

const lastRequest = (w: WebviewPage) => w.page.evaluate('window.posted.at(-1)?.request?.name ?? null');

async function open(savedState?: unknown): Promise<WebviewPage> {
  const w = await openWebview(browser(), {
    view: 'panel',
    styles: ['webview.css', 'panel.css', 'generations.css'],
    viewport: { width: 1100, height: 700 },
    savedState,
  });
  await w.post({
    type: 'snapshot',
    run: runInfo('/runs/demo-20250101-000000', 150, 'completed'),
    config: { pivot: 'en', lowResource: ['sw', 'te'] },
    events: eventStream(0, 150),
  });
  await w.waitFor('window.posted.some((m) => m.type === "request" && m.request.what === "evalFiles")');
  return w;
}

test('a new panel shows the selected evaluation, not the newest', async () => {
  const w = await open();
  await w.post({ type: 'evalFiles', files, select: 'gsm-step-000100.json' });
  await w.waitFor('window.posted.at(-1)?.request?.name === "gsm-step-000100.json"');
  await w.post({ type: 'evalReport', name: 'gsm-step-000100.json', report: evalReport(30, 100) });
  await w.page.locator('.gen-table').waitFor();
  assert.equal(await controlValue(w.page.locator('.generations vscode-single-select').first()), 'gsm-step-000100.json');
  assert.equal(await w.page.evaluate('window.savedState.generations.file'), 'gsm-step-000100.json');
  const requests = (await w.posted()).filter(
    (m) => (m as { request?: { what: string } }).request?.what === 'evalReport',
  );
  assert.equal(requests.length, 1, 'the newest file was never asked for');
  assert.deepEqual(w.errors, []);
  await w.page.close();
});

test('an open panel switches to the selection from the user’s pick and its page; unknown names are ignored', async () => {
  // Saved state: the user had picked the oldest file and turned to page 2.
  const w = await open({ generations: { file: 'eval-step-000050.json', filter: 'all', langs: null, page: 1 } });
  await w.post({ type: 'evalFiles', files });
  await w.waitFor('window.posted.at(-1)?.request?.name === "eval-step-000050.json"');
  await w.post({ type: 'evalReport', name: 'eval-step-000050.json', report: evalReport(60, 50) });
  await w.page.locator('.gen-page', { hasText: 'page 2 of' }).waitFor();

  // A select naming a file not in the list changes nothing. The next list has the picked
  // file rewritten (a new mtime), so the card asks for it again: when that request arrives,
  // both lists were handled, and it is the only thing asked.
  const before = (await w.posted()).length;
  await w.post({ type: 'evalFiles', files, select: 'nope-step-000001.json' });
  const touched = files.map((f) => (f.name === 'eval-step-000050.json' ? { ...f, mtimeMs: 9 } : f));
  await w.post({ type: 'evalFiles', files: touched });
  await w.waitFor(`window.posted.length > ${before}`);
  assert.deepEqual((await w.posted()).slice(before), [
    { type: 'request', request: { what: 'evalReport', name: 'eval-step-000050.json' } },
  ]);
  assert.equal(await w.page.evaluate('window.savedState.generations.file'), 'eval-step-000050.json');
  await w.post({ type: 'evalReport', name: 'eval-step-000050.json', report: evalReport(60, 50) });

  // Evaluate Checkpoint re-evaluated the newest step: it is shown from the first page and,
  // being the newest, followed (a later evaluation shows by itself).
  const again = [{ ...touched[0], mtimeMs: 4 }, ...touched.slice(1)];
  await w.post({ type: 'evalFiles', files: again, select: 'eval-step-000150.json' });
  await w.waitFor('window.posted.at(-1)?.request?.name === "eval-step-000150.json"');
  assert.equal(await lastRequest(w), 'eval-step-000150.json');
  await w.post({ type: 'evalReport', name: 'eval-step-000150.json', report: evalReport(60, 150) });
  await w.page.locator('.gen-page', { hasText: 'page 1 of' }).waitFor();
  assert.equal(
    await controlValue(w.page.locator('.generations vscode-single-select').first()),
    'eval-step-000150.json',
  );
  assert.deepEqual(await w.page.evaluate('window.savedState.generations'), {
    file: null,
    filter: 'all',
    langs: null,
    page: 0,
  });
  assert.deepEqual(w.errors, []);
  await w.page.close();
});
