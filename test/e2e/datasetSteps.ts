// The dataset editor's e2e steps (run.ts calls them last): a cell edited in the grid and
// saved changes that line only on disk; the same file reopened as text, a line broken by
// typing is marked as you type (squiggle and Problems view) and clean again after undo.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { palette, screenshot, waitFor, webviewWith } from './steps';

/**
 * The dataset editor: the workspace's eval set opens in the grid (the default editor of
 * *.parallel.jsonl), one prompt is edited in place and saved; on disk only that line
 * changed, and in it only that field.
 */
export async function editDatasetCell(page: Page, workspace: string): Promise<void> {
  const file = path.join(workspace, 'data', 'eval.parallel.jsonl');
  const before = fs.readFileSync(file, 'utf8').split('\n');
  const item = JSON.parse(before[1]) as { langs: Record<string, { prompt: string }> };
  const edited = `${item.langs.es.prompt} (e2e)`;

  const input = page.locator('.quick-input-widget input');
  await waitFor('eval.parallel.jsonl in Quick Open', 120_000, async () => {
    await page.keyboard.press('Control+P');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('eval.parallel.jsonl');
    try {
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'eval.parallel.jsonl' })
        .first()
        .waitFor({ timeout: 10_000 });
      return true;
    } catch {
      await page.keyboard.press('Escape');
      return undefined;
    }
  });
  await page.keyboard.press('Enter');
  const grid = await webviewWith(
    page,
    'main[data-view="dataset"] .ds-body .ds-row',
    'the dataset editor to show the eval set',
    120_000,
  );
  await screenshot(page, 'dataset-grid');

  // Row 1 is the file's second line; its Spanish prompt.
  const cell = grid.locator('.ds-row[data-index="1"] [data-cell="prompt:es"]');
  await cell.click();
  const editor = grid.locator('textarea.ds-editor');
  await editor.fill(edited);
  await editor.press('Control+Enter');
  await waitFor('the grid to show the edit from the document', 30_000, async () =>
    ((await cell.textContent()) ?? '').includes('(e2e)'),
  );
  // Out of the text area (still inside the page), then Save: the workbench takes Ctrl+S.
  await grid.locator('.ds-filter').click();
  await page.keyboard.press('Control+S');
  const after = await waitFor('the edit to be saved to disk', 30_000, async () => {
    const text = fs.readFileSync(file, 'utf8');
    return text.includes('(e2e)') ? text.split('\n') : undefined;
  });
  assert.equal(after.length, before.length, 'as many lines as before');
  const changed = after.map((l, i) => (l === before[i] ? -1 : i)).filter((i) => i >= 0);
  assert.deepEqual(changed, [1], 'only the edited line changed on disk');
  const expected = structuredClone(item);
  expected.langs.es.prompt = edited;
  assert.deepEqual(JSON.parse(after[1]), expected, 'in that line only the edited prompt');
  process.stderr.write('e2e: dataset editor saved one cell; only line 2 changed on disk\n');
  await screenshot(page, 'dataset-edited');
}

/**
 * The text view's diagnostics as you type: the grid's file reopened as text, an `x` typed
 * before line 1's `{` makes it invalid JSON; the editor underlines it and the Problems view
 * lists "one JSON object per line" for the file (the checks of `solar data validate`).
 * Undo brings the line back and the problem goes; nothing is saved.
 */
export async function breakDatasetLine(page: Page, workspace: string): Promise<void> {
  const file = path.join(workspace, 'data', 'eval.parallel.jsonl');
  const onDisk = fs.readFileSync(file, 'utf8');
  await palette(page, 'SOLAR: Reopen Dataset as Text');
  const text = page.locator('.editor-instance .monaco-editor').first();
  await text.locator('.view-lines').waitFor({ timeout: 60_000 });
  await text.locator('.view-lines').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('x');
  const squiggle = text.locator('.squiggly-error');
  await squiggle.first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Control+Shift+M'); // the Problems view
  const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'one JSON object per line' }).first();
  await problem.waitFor({ timeout: 30_000 });
  const said = ((await problem.textContent()) ?? '').trim();
  process.stderr.write(`e2e: typing broke line 1; Problems view: "${said}"\n`);
  await screenshot(page, 'dataset-diagnostic');

  await text.locator('.view-lines').click();
  await page.keyboard.press('Control+Z');
  await waitFor('the diagnostic to go after undo', 30_000, async () => (await squiggle.count()) === 0);
  assert.equal(fs.readFileSync(file, 'utf8'), onDisk, 'nothing was saved');
}
