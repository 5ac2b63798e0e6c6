// The DOM of one grid row and of the column header. Rows have one fixed height (the grid
// is virtualised by it); a cell shows the start of its text, `dir="auto"` so right-to-left
// text reads right to left, and the problems found in it (class and tooltip). Clicks are
// handled once, on the grid (grid.ts), from the data-* attributes set here. With a model's
// scores loaded, each scored language's group ends in its score columns (scoreCells.ts).
import { h } from '../dom';
import { type CellKey, cellOf, type GridModel, type ItemRow } from './gridModel';
import { scoreCell, scoreHeaders } from './scoreCells';

/** The text a cell shows and edits; undefined: the item has no such text (a missing translation). */
export function cellText(row: ItemRow, key: CellKey): string | undefined {
  if (key === 'id') return row.id ?? undefined;
  if (key === 'answer') return row.answer ?? undefined;
  const [field, lang] = splitKey(key);
  return row.langs.find((l) => l.lang === lang)?.[field];
}

export function splitKey(key: `${'prompt' | 'response'}:${string}`): ['prompt' | 'response', string] {
  const colon = key.indexOf(':');
  return [key.slice(0, colon) as 'prompt' | 'response', key.slice(colon + 1)];
}

type Problem = ReturnType<GridModel['problems']>[number];

function mark(el: HTMLElement, problems: readonly Problem[]): void {
  if (!problems.length) return;
  el.classList.add(problems.some((p) => p.severity === 'error') ? 'ds-error' : 'ds-warning');
  el.title = problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('\n');
}

function textCell(row: ItemRow, key: CellKey, cls: string, problems: readonly Problem[]): HTMLElement {
  const text = cellText(row, key);
  const cell = h('div', undefined, `ds-cell ${cls}`, { 'data-cell': key, tabindex: '0', role: 'gridcell' });
  if (text === undefined) {
    cell.classList.add('ds-missing');
    // A language the item lacks is a missing translation; a response absent from a language it has is only that.
    const hasLanguage = key.includes(':') && row.langs.some((l) => l.lang === key.slice(key.indexOf(':') + 1));
    cell.textContent = key === 'id' || key === 'answer' ? `no ${key}` : hasLanguage ? 'no response' : 'missing';
    if (hasLanguage) cell.classList.add('ds-no-response');
  } else {
    cell.setAttribute('dir', 'auto');
    cell.append(h('span', text, 'ds-text-value'));
  }
  if (key.startsWith('prompt:')) {
    const choices = row.langs.find((l) => l.lang === key.slice(7))?.choices;
    if (choices)
      cell.append(h('span', choices.map((c, i) => `${i}: ${c}`).join('  ·  '), 'ds-choices', { dir: 'auto' }));
  }
  mark(cell, problems);
  return cell;
}

function gutter(index: number, problems: readonly Problem[], item: boolean): HTMLElement {
  const g = h('div', undefined, 'ds-cell ds-gutter');
  g.append(h('span', String(index + 1), 'ds-line', { title: `Line ${index + 1}` }));
  const badge = h('span', problems.length ? String(problems.length) : '', 'ds-badge');
  mark(badge, problems);
  g.append(badge);
  const actions = h('span', undefined, 'ds-actions');
  const button = (action: string, label: string, text: string) =>
    h('button', text, 'ds-icon', { 'data-action': action, title: label, 'aria-label': label });
  // Words, not symbols: a webview's fonts may lack a glyph, and the CSP loads no icon font.
  if (item) actions.append(button('duplicateItem', 'Duplicate item', 'copy'));
  actions.append(
    button('deleteItem', 'Delete item', 'delete'),
    button('reveal', 'Show the line in the text editor', 'text'),
  );
  g.append(actions);
  return g;
}

/** One line of the document as a grid row (a blank line is never shown). */
export function buildRow(model: GridModel, index: number, langs: readonly string[]): HTMLElement {
  const row = model.rows[index];
  const problems = model.problems(index);
  const el = h('div', undefined, 'ds-row', { 'data-index': String(index), role: 'row' });
  if (row.kind !== 'item') {
    el.classList.add('ds-broken-row');
    el.append(gutter(index, problems, false));
    const cell = h('div', undefined, 'ds-cell ds-broken', { dir: 'auto' });
    cell.append(h('span', row.kind === 'broken' ? row.text : '', 'ds-text-value'));
    mark(cell, problems);
    el.append(cell);
    return el;
  }
  const byCell = new Map<string, Problem[]>();
  const rowLevel: Problem[] = [];
  for (const p of problems) {
    const c = cellOf(p);
    if (c === null || c === 'langs') rowLevel.push(p);
    else byCell.set(c, [...(byCell.get(c) ?? []), p]);
  }
  el.append(gutter(index, problems, true));
  el.append(textCell(row, 'id', 'ds-id', byCell.get('id') ?? []));
  el.append(textCell(row, 'answer', 'ds-answer', byCell.get('answer') ?? []));
  for (const lang of langs)
    for (const field of ['prompt', 'response'] as const) {
      const key: CellKey = `${field}:${lang}`;
      const cell = textCell(row, key, 'ds-text', byCell.get(key) ?? []);
      if (field === 'prompt') cell.classList.add('ds-group-start');
      el.append(cell);
      if (field === 'response')
        for (const metric of model.scores.metrics(lang))
          el.append(scoreCell(metric, lang, model.pivot, model.scores.of(row, lang)));
    }
  if (rowLevel.length) mark(el.querySelector('.ds-gutter')!, rowLevel);
  return el;
}

/** The header: id, answer, and per language its code, coverage and column buttons, over "prompt" and "response". */
export function buildHeader(model: GridModel, langs: readonly string[]): HTMLElement {
  const coverage = model.coverage();
  const items = model.itemCount;
  const head = h('div', undefined, 'ds-row ds-head', { role: 'row' });
  head.append(
    h('div', 'line', 'ds-cell ds-gutter'),
    h('div', 'id', 'ds-cell ds-id'),
    h('div', 'answer', 'ds-cell ds-answer'),
  );
  langs.forEach((lang, i) => {
    const scored = model.scores.metrics(lang).length;
    const group = h('div', undefined, `ds-group ds-group-start${scored ? ` ds-scored-${scored}` : ''}`, {
      'data-lang': lang,
      role: 'columnheader',
    });
    const title = h('div', undefined, 'ds-group-title');
    const n = coverage.get(lang) ?? 0;
    title.append(h('strong', lang, undefined, { dir: 'auto' }));
    if (lang === model.pivot) title.append(h('span', 'pivot', 'ds-pivot'));
    const pct = items ? Math.round((100 * n) / items) : 0;
    title.append(
      h('span', `${n} / ${items} (${pct}%)`, 'ds-coverage', { title: `${n} of ${items} items have ${lang}` }),
    );
    const button = (action: string, text: string, label: string, disabled = false) => {
      const b = h('button', text, 'ds-icon', {
        'data-lang-action': action,
        'data-lang': lang,
        title: label,
        'aria-label': label,
      });
      b.disabled = disabled;
      return b;
    };
    if (lang !== model.pivot)
      title.append(
        button('left', '◀', `Move ${lang} left`, i === 0 || langs[i - 1] === model.pivot),
        button('right', '▶', `Move ${lang} right`, i === langs.length - 1),
      );
    title.append(button('hide', '✕', `Hide ${lang}`));
    const sub = h('div', undefined, 'ds-group-sub');
    sub.append(h('span', 'prompt'), h('span', 'response'), ...scoreHeaders(model.scores, lang, model.sort));
    group.append(title, sub);
    head.append(group);
  });
  return head;
}
