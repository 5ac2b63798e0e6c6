// The built webview bundle (dist/webview.js) as the dataset editor's grid, in real
// Chromium: served under the same kind of CSP as in VS Code (nonce scripts, styles only
// from the served origin, nothing inline), with a stub acquireVsCodeApi, fed a snapshot
// built by the host's own code (DatasetRows over real lines) and deltas. Checks what is
// drawn, what the page asks the host to do, that 20,000 items put only a window of rows
// in the DOM, a model's scores as sortable, shaded columns that go stale when their item is
// edited, and screenshots into test-output/webview/.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DatasetRows } from '../../extension/datasetEditor/datasetRows';
import type { HostToDataset } from '../../protocol/datasetMessages';
import type { DatasetScores } from '../../protocol/datasetScores';
import { itemHash } from '../../protocol/datasetScoresFile';
import { ROOT } from '../helpers/helpers';
import { chromiumForFile, pickOption } from '../helpers/webviewPage';

const ORIGIN = 'http://webview.test';
const OUT = path.join(ROOT, 'test-output', 'webview');
const NONCE = 'dGVzdC1ub25jZQ==';

// A few of the variables VS Code defines on a webview's root (dark theme).
const THEME = `html { --vscode-font-family: sans-serif; --vscode-font-size: 13px; --vscode-editor-font-family: monospace;
  --vscode-foreground: #cccccc; --vscode-descriptionForeground: #9d9d9d; --vscode-errorForeground: #f85149;
  --vscode-editor-background: #1f1f1f; --vscode-panel-border: #2b2b2b; --vscode-button-background: #0078d4;
  --vscode-button-foreground: #ffffff; --vscode-button-secondaryBackground: #313131; --vscode-button-secondaryForeground: #cccccc;
  --vscode-badge-background: #616161; --vscode-badge-foreground: #f8f8f8; --vscode-input-background: #313131;
  --vscode-input-foreground: #cccccc; --vscode-focusBorder: #0078d4; --vscode-editorError-foreground: #f14c4c;
  --vscode-editorWarning-foreground: #cca700; --vscode-list-hoverBackground: #2a2d2e; }
body { background: var(--vscode-editor-background); }`;

function page(savedState: unknown): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${ORIGIN}; img-src ${ORIGIN}; script-src 'nonce-${NONCE}';">
<link rel="stylesheet" href="${ORIGIN}/theme.css">
<link rel="stylesheet" href="${ORIGIN}/media/webview.css">
<link rel="stylesheet" href="${ORIGIN}/media/dataset.css">
</head><body>
<main id="root" data-view="dataset"><p class="muted">Loading…</p></main>
<script nonce="${NONCE}">
  window.posted = [];
  window.savedState = ${JSON.stringify(savedState ?? null)} ?? undefined;
  function acquireVsCodeApi() {
    return { postMessage: (m) => window.posted.push(m), getState: () => window.savedState, setState: (s) => { window.savedState = s; } };
  }
</script>
<script nonce="${NONCE}" src="${ORIGIN}/dist/webview.js"></script>
</body></html>`;
}

const browser = chromiumForFile();

before(() => {
  fs.mkdirSync(OUT, { recursive: true });
});

interface Grid {
  page: Page;
  errors: string[];
  post(msg: HostToDataset): Promise<void>;
  posted(): Promise<unknown[]>;
  /** Wait until the expression is true in the page (waitForFunction uses eval, which the CSP refuses). */
  until(expression: string): Promise<void>;
}

async function openGrid(savedState?: unknown, viewport = { width: 1400, height: 800 }): Promise<Grid> {
  const p = await browser().newPage({ viewport });
  const errors: string[] = [];
  p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  p.on('pageerror', (e) => errors.push(e.message));
  await p.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: page(savedState) });
    if (url.pathname === '/theme.css') return route.fulfill({ contentType: 'text/css', body: THEME });
    const file = path.join(ROOT, url.pathname);
    if (!/^\/(dist|media)\//.test(url.pathname) || !fs.existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({
      contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript',
      body: fs.readFileSync(file),
    });
  });
  await p.goto(`${ORIGIN}/index.html`);
  return {
    page: p,
    errors,
    post: async (msg) => {
      await p.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
    },
    posted: async () => (await p.evaluate('window.posted')) as unknown[],
    until: async (expression) => {
      for (let i = 0; !(await p.evaluate(expression)); i++) {
        if (i > 500) throw new Error(`timed out waiting for ${expression}`);
        await p.waitForTimeout(20);
      }
    },
  };
}

const item = (id: string, langs: Record<string, { prompt: string; response?: string }>, answer = '7') =>
  JSON.stringify({ id, answer, langs });

const LINES = [
  item('add-1', {
    en: { prompt: 'Tom has 3 apples and buys 4 more. How many?', response: 'The answer is 7.' },
    sw: { prompt: 'Tom ana tufaha 3 na ananunua 4 zaidi. Ngapi?', response: 'Jibu ni 7.' },
    ar: { prompt: 'لدى توم 3 تفاحات ويشتري 4 أخرى. كم عددها؟', response: 'الجواب هو 7.' },
  }),
  item('add-2', { sw: { prompt: 'Ana 5 na 2. Ngapi?' }, en: { prompt: 'She has 5 and 2. How many?' } }),
  item('add-1', { en: { prompt: 'A copy with the same id: 3 + 4?' }, te: { prompt: 'What is 3 + 4?' } }),
  '{"id": "broken", oops',
  '',
];

/** The snapshot the host would send for `lines` (DatasetRows is the host's own code). */
function snapshot(lines: readonly string[], file = 'demo.parallel.jsonl'): HostToDataset {
  const { rows, fileProblems } = new DatasetRows('en').reset(lines);
  return { type: 'snapshot', file, pivot: 'en', rows, fileProblems };
}

const cell = (index: number, key: string) => `.ds-body .ds-row[data-index="${index}"] [data-cell="${key}"]`;

test('the grid shows items by language, pivot first, with coverage, missing cells and problems', async () => {
  const g = await openGrid();
  assert.deepEqual(await g.posted(), [{ type: 'ready' }], 'the page says ready first');
  await g.post(snapshot(LINES));
  await g.page.locator('.ds-body .ds-row').first().waitFor();

  assert.deepEqual(
    await g.page.locator('.ds-head .ds-group').evaluateAll((els) => els.map((e) => e.getAttribute('data-lang'))),
    ['en', 'ar', 'sw', 'te'],
    'pivot first, then alphabetical',
  );
  assert.match(
    (await g.page.locator('.ds-group[data-lang="sw"] .ds-coverage').textContent()) ?? '',
    /^2 \/ 3 \(67%\)$/,
  );
  assert.equal(await g.page.locator('.ds-body .ds-row').count(), 4, 'three items and the broken line; no blank row');
  assert.match((await g.page.locator('.ds-count').textContent()) ?? '', /^3 items · 1 unreadable line$/);

  // A missing translation, a duplicate id (found across lines), a Latin prompt in a Telugu cell, a broken line.
  assert.ok(await g.page.locator(cell(1, 'prompt:ar')).evaluate((e) => e.classList.contains('ds-missing')));
  assert.equal(await g.page.locator(cell(1, 'prompt:ar')).textContent(), 'missing');
  const dup = g.page.locator(cell(2, 'id'));
  assert.ok(await dup.evaluate((e) => e.classList.contains('ds-error')));
  assert.match((await dup.getAttribute('title')) ?? '', /already used on line 1/);
  const script = g.page.locator(cell(2, 'prompt:te'));
  assert.ok(await script.evaluate((e) => e.classList.contains('ds-warning')));
  assert.match((await script.getAttribute('title')) ?? '', /Telugu script/);
  const broken = g.page.locator('.ds-row[data-index="3"] .ds-broken');
  assert.equal(await broken.textContent(), '{"id": "broken", oops');
  assert.ok(await broken.evaluate((e) => e.classList.contains('ds-error')));

  // Right-to-left text is laid out right to left; the rest left to right.
  const ar = g.page.locator(cell(0, 'prompt:ar'));
  assert.equal(await ar.getAttribute('dir'), 'auto');
  const direction = (selector: string) =>
    g.page.evaluate(`getComputedStyle(document.querySelector('${selector}')).direction`);
  assert.equal(await direction(cell(0, 'prompt:ar')), 'rtl');
  assert.equal(await direction(cell(0, 'prompt:en')), 'ltr');

  await g.page.locator('.ds-row[data-index="2"] .ds-gutter').hover();
  await g.page.screenshot({ path: path.join(OUT, 'dataset-editor.png') });
  assert.deepEqual(g.errors, [], 'no script errors or CSP violations');
  await g.page.close();
});

test('editing a cell posts one edit naming line, id and field; deltas redraw only what changed', async () => {
  const g = await openGrid();
  await g.post(snapshot(LINES));
  await g.page.locator(cell(0, 'prompt:sw')).click();
  const editor = g.page.locator('textarea.ds-editor');
  assert.equal(await editor.getAttribute('dir'), 'auto');
  assert.equal(await editor.inputValue(), 'Tom ana tufaha 3 na ananunua 4 zaidi. Ngapi?');
  await editor.fill('Tom ana tufaha 3,\nanunua 4. Ngapi?');
  await editor.press('Control+Enter');
  // Filling a missing cell, and emptying a response (which removes it).
  await g.page.locator(cell(1, 'prompt:ar')).click();
  await editor.fill('لديها 5 و 2');
  await editor.press('Control+Enter');
  await g.page.locator(cell(0, 'response:en')).click();
  await editor.fill('');
  await editor.press('Control+Enter');
  // Escape cancels.
  await g.page.locator(cell(0, 'answer')).click();
  await editor.fill('8');
  await editor.press('Escape');
  assert.deepEqual((await g.posted()).slice(1), [
    {
      type: 'edit',
      index: 0,
      id: 'add-1',
      field: { key: 'prompt', lang: 'sw' },
      value: 'Tom ana tufaha 3,\nanunua 4. Ngapi?',
    },
    { type: 'edit', index: 1, id: 'add-2', field: { key: 'prompt', lang: 'ar' }, value: 'لديها 5 و 2' },
    { type: 'edit', index: 0, id: 'add-1', field: { key: 'response', lang: 'en' }, value: null },
  ]);

  // The host's answer: a delta for line 1 only. Row 0's element is rebuilt only if in view; its text is unchanged.
  const next = [...LINES];
  next[1] = item('add-2', {
    sw: { prompt: 'Ana 5 na 2. Ngapi?' },
    en: { prompt: 'She has 5 and 2. How many?' },
    ar: { prompt: 'لديها 5 و 2' },
  });
  const { rows, fileProblems } = new DatasetRows('en').reset(next);
  await g.post({ type: 'rows', start: 1, deleteCount: 1, rows: [rows[1]], fileProblems });
  await g.until(`document.querySelector('${cell(1, 'prompt:ar')}')?.textContent === 'لديها 5 و 2'`);
  assert.match((await g.page.locator('.ds-group[data-lang="ar"] .ds-coverage').textContent()) ?? '', /^2 \/ 3/);

  // Row actions.
  await g.page.locator('.ds-row[data-index="1"]').hover();
  await g.page.locator('.ds-row[data-index="1"] button[data-action="duplicateItem"]').click();
  await g.page.locator('.ds-row[data-index="1"] button[data-action="deleteItem"]').click();
  await g.page.locator('.ds-row[data-index="3"]').hover();
  await g.page.locator('.ds-row[data-index="3"] button[data-action="reveal"]').click();
  await g.page.locator('.ds-additem').click();
  assert.deepEqual((await g.posted()).slice(4), [
    { type: 'duplicateItem', index: 1, id: 'add-2' },
    { type: 'deleteItem', index: 1, id: 'add-2' },
    { type: 'reveal', index: 3, column: 17 },
    { type: 'addItem' },
  ]);

  // The host's answer to addItem: the new line, with focus on it: its pivot prompt is being edited.
  const added = [...next.slice(0, 4), '{"id":"add-3","answer":"","langs":{"en":{"prompt":""}}}', ''];
  const fresh = new DatasetRows('en').reset(added);
  await g.post({
    type: 'rows',
    start: 4,
    deleteCount: 0,
    rows: [fresh.rows[4]],
    fileProblems: fresh.fileProblems,
    focus: 4,
  });
  await g.until(`document.activeElement?.matches('${cell(4, 'prompt:en')} textarea.ds-editor')`);
  assert.ok(await g.page.locator(cell(4, 'answer')).evaluate((e) => e.classList.contains('ds-error')), 'empty answer');
  await g.page.keyboard.type('Ben has 2 and 2. How many?');
  await g.page.keyboard.press('Control+Enter');
  assert.deepEqual((await g.posted()).at(-1), {
    type: 'edit',
    index: 4,
    id: 'add-3',
    field: { key: 'prompt', lang: 'en' },
    value: 'Ben has 2 and 2. How many?',
  });
  assert.deepEqual(g.errors, []);
  await g.page.close();
});

test('an open cell editor survives a delta that moves its row, keeping focus and text', async () => {
  const g = await openGrid();
  await g.post(snapshot(LINES));
  await g.page.locator(cell(1, 'prompt:en')).click();
  await g.page.keyboard.press('End');
  await g.page.keyboard.type(' (draft');
  // Meanwhile a line is inserted above in the text view: the item moves to line 3.
  const moved = [item('new', { en: { prompt: 'Inserted above' } }), ...LINES];
  const { rows, fileProblems } = new DatasetRows('en').reset(moved);
  await g.post({ type: 'rows', start: 0, deleteCount: 0, rows: [rows[0]], fileProblems });
  await g.until(`!!document.querySelector('${cell(2, 'prompt:en')} textarea.ds-editor')`);
  assert.ok(await g.page.evaluate(`document.activeElement?.matches('textarea.ds-editor')`), 'still focused');
  await g.page.keyboard.type(')');
  await g.page.keyboard.press('Control+Enter');
  assert.deepEqual((await g.posted()).at(-1), {
    type: 'edit',
    index: 2,
    id: 'add-2',
    field: { key: 'prompt', lang: 'en' },
    value: 'She has 5 and 2. How many? (draft)',
  });
  assert.deepEqual(g.errors, []);
  await g.page.close();
});

test('adding a language column, hiding one, and the filters', async () => {
  const g = await openGrid();
  await g.post(snapshot(LINES));
  await g.page.locator('.ds-newlang input').fill('Klingon!');
  await g.page.locator('.ds-addlang').click();
  assert.match((await g.page.locator('.ds-notice').textContent()) ?? '', /not a language code/);
  await g.page.locator('.ds-newlang input').fill('yo');
  await g.page.locator('.ds-addlang').click();
  assert.match((await g.page.locator('.ds-group[data-lang="yo"] .ds-coverage').textContent()) ?? '', /^0 \/ 3 \(0%\)$/);
  assert.equal(await g.page.locator('[data-cell="prompt:yo"].ds-missing').count(), 3);
  await g.page.locator(cell(0, 'prompt:yo')).click();
  await g.page.locator('textarea.ds-editor').fill('Tom ní ápù 3');
  await g.page.locator('textarea.ds-editor').press('Control+Enter');
  assert.deepEqual((await g.posted()).at(-1), {
    type: 'edit',
    index: 0,
    id: 'add-1',
    field: { key: 'prompt', lang: 'yo' },
    value: 'Tom ní ápù 3',
  });

  // Hide Arabic with its chip; the choice is kept for the next time the page loads.
  await g.page.locator('.ds-chip[data-lang="ar"]').click();
  assert.equal(await g.page.locator('.ds-head .ds-group[data-lang="ar"]').count(), 0);
  assert.equal(await g.page.locator('[data-cell="prompt:ar"]').count(), 0);
  const saved = (await g.page.evaluate('window.savedState')) as { hidden: string[]; added: string[] };
  assert.deepEqual(saved.hidden, ['ar']);
  assert.deepEqual(saved.added, ['yo']);

  const rowsShown = async () =>
    g.page.locator('.ds-body .ds-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
  await g.page.locator('.ds-filter input').fill('ANA 5');
  assert.deepEqual(await rowsShown(), [1], 'text, case-insensitive');
  assert.match((await g.page.locator('.ds-count').textContent()) ?? '', /^1 of 4 lines$/);
  await g.page.locator('.ds-filter input').fill('add-1');
  assert.deepEqual(await rowsShown(), [0, 2], 'by id');
  await g.page.locator('.ds-filter input').fill('');
  await pickOption(g.page.locator('.ds-missing-filter'), 'sw');
  assert.deepEqual(await rowsShown(), [2], 'missing in sw');
  await pickOption(g.page.locator('.ds-missing-filter'), '');
  await g.page.locator('.ds-problems').click();
  assert.deepEqual(await rowsShown(), [2, 3], 'problems only: the duplicate and the broken line');
  assert.deepEqual(g.errors, []);
  await g.page.close();
});

test('20,000 items: only a window of rows is in the DOM, scrolling shows the last one', async () => {
  const lines = Array.from({ length: 20_000 }, (_, i) =>
    item(
      `syn-${String(i + 1).padStart(6, '0')}`,
      {
        en: { prompt: `Item ${i + 1}: what is ${i} + 1?`, response: `The answer is ${i + 1}.` },
        sw: { prompt: `Kipengee ${i + 1}: ${i} + 1 ni ngapi?`, response: `Jibu ni ${i + 1}.` },
      },
      String(i + 1),
    ),
  );
  lines.push('');
  const g = await openGrid();
  await g.post(snapshot(lines, 'big.parallel.jsonl'));
  await g.page.locator('.ds-body .ds-row').first().waitFor();
  assert.match((await g.page.locator('.ds-count').textContent()) ?? '', /^20000 items$/);
  const inDom = () => g.page.locator('.ds-body .ds-row').count();
  assert.ok((await inDom()) < 60, `a window of rows, not 20,000 (${await inDom()})`);
  const scrollHeight = (await g.page.locator('.ds-scroll').evaluate((e) => e.scrollHeight)) as number;
  assert.ok(scrollHeight > 20_000 * 40, `the spacers stand for every row (${scrollHeight}px)`);

  await g.page.locator('.ds-scroll').evaluate((e) => {
    e.scrollTop = e.scrollHeight;
  });
  await g.until(`!!document.querySelector('.ds-row[data-index="19999"]')`);
  assert.ok((await inDom()) < 60);
  assert.equal(await g.page.locator(cell(19999, 'id')).textContent(), 'syn-020000');
  assert.ok(await g.page.locator(cell(19999, 'id')).isVisible());
  await g.page.screenshot({ path: path.join(OUT, 'dataset-editor-20k.png') });

  // A filter over all 20,000 rows, and the scroll position kept across a page reload.
  await g.page.locator('.ds-filter input').fill('syn-01234');
  assert.match((await g.page.locator('.ds-count').textContent()) ?? '', /^10 of 20000 items$/);
  await g.page.locator('.ds-filter input').fill('');
  // Filtering scrolled up (fewer rows); back to the end, which a reload must keep.
  const top = (await g.page.locator('.ds-scroll').evaluate((e) => {
    e.scrollTop = e.scrollHeight;
    return e.scrollTop;
  })) as number;
  assert.ok(top > 20_000 * 40);
  await g.until(`window.savedState && window.savedState.scrollTop === ${top}`);
  const saved = await g.page.evaluate('window.savedState');
  await g.page.close();
  const again = await openGrid(saved);
  await again.post(snapshot(lines, 'big.parallel.jsonl'));
  await again.until(`!!document.querySelector('.ds-row[data-index="19999"]')`);
  assert.deepEqual([...g.errors, ...again.errors], []);
  await again.page.close();
});

test('scores: shaded columns per language, sorted weakest first, stale once the item is edited', async () => {
  const lines = [
    item('s-1', {
      en: { prompt: 'Tom has 3 apples and buys 4 more. How many?', response: 'The answer is 7.' },
      sw: { prompt: 'Tom ana tufaha 3 na ananunua 4 zaidi. Ngapi?', response: 'Jibu ni 7.' },
      yo: { prompt: 'Tom ní ápù 3, ó ra 4 sí i. Mélòó?', response: 'Ìdáhùn jẹ́ 7.' },
    }),
    item('s-2', {
      en: { prompt: 'She has 5 and 2. How many?', response: 'The answer is 7.' },
      sw: { prompt: 'Ana 5 na 2. Ngapi?', response: 'Jibu ni 7.' },
      yo: { prompt: 'Ó ní 5 àti 2. Mélòó?' },
    }),
    item('s-3', {
      en: { prompt: 'Ann has 6 pens and gets 1. How many?', response: 'The answer is 7.' },
      sw: { prompt: 'Ann ana kalamu 6. Ngapi?', response: 'Jibu ni 8.' },
    }),
    item('s-4', { en: { prompt: 'Added after the scoring: 3 + 4?' } }),
    '',
  ];
  const lang = (distance: number | undefined, loss: number) =>
    distance === undefined ? { distanceSkipped: 'pivot' as const, loss, tokens: 17 } : { distance, loss, tokens: 12 };
  const scores: DatasetScores = {
    kind: 'datasetScores',
    version: 1,
    data: { file: '/ws/data/demo.parallel.jsonl', hash: 'a'.repeat(64), items: 3 },
    run: { dir: '/ws/.solar/runs/demo-20261124-070000', name: 'demo', checkpoint: '/ws/ck/step-000150', step: 150 },
    pivot: 'en',
    languages: ['en', 'sw', 'yo'],
    settings: { tau: 1, topK: 0, pool: 'response', maxSeqLen: 512 },
    scoredAt: '2026-11-24T07:26:40.039Z',
    items: [
      {
        id: 's-1',
        line: 1,
        hash: itemHash(lines[0]),
        langs: { en: lang(undefined, 1.2), sw: lang(0.3, 2.1), yo: lang(0.12, 2.4) },
      },
      {
        id: 's-2',
        line: 2,
        hash: itemHash(lines[1]),
        langs: {
          en: lang(undefined, 1.1),
          sw: lang(0.05, 1.9),
          yo: { distanceSkipped: 'noResponse', lossSkipped: 'noResponse' },
        },
      },
      { id: 's-3', line: 3, hash: itemHash(lines[2]), langs: { en: lang(undefined, 1.3), sw: lang(0.62, 4.4) } },
    ],
  };
  const g = await openGrid();
  await g.post(snapshot(lines));
  await g.page.locator('.ds-body .ds-row').first().waitFor();
  assert.equal(await g.page.locator('.ds-score').count(), 0, 'no score columns without scores');
  assert.match((await g.page.locator('.ds-score-status').textContent()) ?? '', /No scores yet/);
  assert.ok(!(await g.page.locator('.ds-rescore').isVisible()), 'nothing to re-score');
  await g.post({ type: 'scores', scores });
  await g.page.locator('.ds-score').first().waitFor();

  // Columns: loss for the pivot, distance and loss for the others, with sort buttons in the header.
  const headers = (l: string) =>
    g.page.locator(`.ds-group[data-lang="${l}"] .ds-sort`).evaluateAll((els) => els.map((e) => e.textContent));
  assert.deepEqual(await headers('en'), ['loss']);
  assert.deepEqual(await headers('sw'), ['Δ en', 'loss']);
  const score = (index: number, key: string) => g.page.locator(`.ds-row[data-index="${index}"] [data-score="${key}"]`);
  assert.equal(await score(0, 'distance:sw').textContent(), '0.300');
  assert.equal(await score(2, 'loss:sw').textContent(), '4.40');
  // Shaded on the fixed viridis scale: 0.3 of [0, 1] is blue-teal, 0.62 green.
  const fill = (index: number, key: string) => score(index, key).locator('rect').getAttribute('fill');
  assert.equal(await fill(0, 'distance:sw'), 'rgb(53, 95, 140)');
  assert.equal(await fill(2, 'distance:sw'), 'rgb(40, 173, 128)');
  assert.match(
    (await score(0, 'loss:sw').getAttribute('title')) ?? '',
    /response loss \(nats\/token\): 2.1 over 12 tokens/,
  );
  // No number: a dash and the reason; an item scored without the language, or added later, is marked.
  assert.equal(await score(1, 'distance:yo').textContent(), '—');
  assert.match((await score(1, 'distance:yo').getAttribute('title')) ?? '', /no response to score/);
  assert.ok(await score(2, 'distance:yo').evaluate((e) => e.classList.contains('ds-unscored')));
  assert.ok(await score(3, 'loss:en').evaluate((e) => e.classList.contains('ds-unscored')));
  assert.match(
    (await g.page.locator('.ds-score-status').textContent()) ?? '',
    /Scores by demo, checkpoint step 150, 2026-11-24 07:26 UTC · 1 not scored/,
  );

  // Sort by the sw distance: largest first, rows without a figure last; again: smallest first; again: file order.
  const order = () =>
    g.page.locator('.ds-body .ds-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
  const sortBy = (l: string, metric: string) =>
    g.page.locator(`.ds-sort[data-sort-lang="${l}"][data-sort-metric="${metric}"]`).click();
  await sortBy('sw', 'distance');
  assert.deepEqual(await order(), [2, 0, 1, 3]);
  assert.equal(
    await g.page.locator('.ds-sort[data-sort-lang="sw"][data-sort-metric="distance"]').textContent(),
    'Δ en ▼',
  );
  await g.page.screenshot({ path: path.join(OUT, 'dataset-editor-scores.png') });
  await sortBy('sw', 'distance');
  assert.deepEqual(await order(), [1, 0, 2, 3]);
  await sortBy('en', 'loss');
  assert.deepEqual(await order(), [2, 0, 1, 3], 'en loss 1.3, 1.2, 1.1');
  assert.deepEqual(((await g.page.evaluate('window.savedState')) as { sort: unknown }).sort, {
    lang: 'en',
    metric: 'loss',
    descending: true,
  });
  await sortBy('en', 'loss');
  await sortBy('en', 'loss');
  assert.deepEqual(await order(), [0, 1, 2, 3]);

  // The user edits s-1's Swahili prompt: its line changes, so its scores are stale; the others are not.
  const edited = [...lines];
  edited[0] = lines[0].replace('Ngapi?', 'Ni ngapi?');
  const { rows, fileProblems } = new DatasetRows('en').reset(edited);
  await g.post({ type: 'rows', start: 0, deleteCount: 1, rows: [rows[0]], fileProblems });
  await g.until(`document.querySelector('${cell(0, 'prompt:sw')}')?.textContent.includes('Ni ngapi?')`);
  assert.ok(await score(0, 'distance:sw').evaluate((e) => e.classList.contains('ds-stale')));
  assert.match(
    (await score(0, 'distance:sw').getAttribute('title')) ?? '',
    /Stale: the item changed since it was scored/,
  );
  assert.equal(await score(0, 'distance:sw').textContent(), '0.300', 'the old figure stays readable');
  assert.ok(!(await score(1, 'loss:sw').evaluate((e) => e.classList.contains('ds-stale'))));
  assert.match((await g.page.locator('.ds-score-status').textContent()) ?? '', /1 item changed since \(stale\)/);

  // Re-score changed items: shown now that an item is stale; the host scores only those.
  await g.page.locator('.ds-rescore').click();
  assert.deepEqual((await g.posted()).at(-1), { type: 'score', changedOnly: true });

  // Score with Run…: the page asks the host; while a scoring runs the button waits.
  await g.page.locator('.ds-score-run').click();
  assert.deepEqual((await g.posted()).at(-1), { type: 'score' });
  await g.post({ type: 'scoring', running: true, message: 'Scoring with demo: 12/40 rows' });
  await g.until(`document.querySelector('.ds-score-run').disabled`);
  assert.match(
    (await g.page.locator('.ds-score-status').textContent()) ?? '',
    /^Scoring with demo: 12\/40 rows · Scores by demo/,
  );
  await g.post({ type: 'scoring', running: false });
  await g.until(`!document.querySelector('.ds-score-run').disabled`);

  // The sidecar went away: the columns go with it.
  await g.post({ type: 'scores', scores: null });
  await g.until(`document.querySelectorAll('.ds-score').length === 0`);
  assert.equal(await g.page.locator('.ds-sort').count(), 0);
  assert.deepEqual(g.errors, [], 'no script errors or CSP violations');
  await g.page.close();
});
