// A chart's text alternative: a "Table" toggle (a <details>) holding the numbers the chart
// draws, one row per x (step, layer or language) and a column per series. The rows are
// built only while it is open, again on every update then, and a page at a time: a run of
// 100,000 steps is a table of 100,000 rows, which the pager walks through. The pager's
// buttons are made once, so focus stays on them across live updates. Shared by the
// Metrics panel's cards and the Compare panel's curves.
import { button } from '../controls';
import { h } from '../dom';

export interface TableData {
  /** Column heads: the x first (step, layer, language), then one per series. */
  columns: string[];
  /** How many rows. */
  rows: number;
  /** Row i's cells: its x (the row's header), then each series' value ('–' where it has none). */
  row(i: number): string[];
}

/** Rows on one page of the table. */
export const TABLE_PAGE = 100;

const NONE: TableData = { columns: [], rows: 0, row: () => [] };

export class ChartTable {
  readonly el = h('details', undefined, 'chart-table');
  private readonly summary: HTMLElement;
  private readonly pager = h('div', undefined, 'table-pager');
  private readonly prev = button('Previous rows', undefined, {}, true);
  private readonly next = button('Next rows', undefined, {}, true);
  private readonly where = h('span', '', 'muted', { role: 'status' });
  private data: () => TableData = () => NONE;
  private first = 0;

  /** `summary`: the toggle's text; `caption`: what the table holds, for its caption. */
  constructor(
    summary: string,
    private caption: string,
  ) {
    this.summary = h('summary', summary);
    this.el.append(this.summary);
    this.prev.addEventListener('click', () => this.turn(-TABLE_PAGE));
    this.next.addEventListener('click', () => this.turn(TABLE_PAGE));
    this.pager.append(this.prev, this.next, this.where);
    this.el.addEventListener('toggle', () => this.render());
  }

  /** What the table shows (read when it is open); `caption` replaces the caption. */
  set(data: () => TableData, caption?: string): void {
    this.data = data;
    if (caption !== undefined) this.caption = caption;
    if (this.el.open) this.render();
  }

  private turn(by: number): void {
    this.first += by;
    this.render();
  }

  private render(): void {
    if (!this.el.open) {
      this.el.replaceChildren(this.summary);
      return;
    }
    const d = this.data();
    // Past the end (fewer rows after an update): the last page.
    this.first = Math.max(0, Math.min(this.first, Math.floor(Math.max(0, d.rows - 1) / TABLE_PAGE) * TABLE_PAGE));
    const last = Math.min(d.rows, this.first + TABLE_PAGE);
    const table = h('table', undefined, 'data-table');
    table.append(h('caption', this.caption));
    const head = h('tr');
    for (const c of d.columns) head.append(h('th', c, undefined, { scope: 'col' }));
    const thead = h('thead');
    thead.append(head);
    const body = h('tbody');
    for (let i = this.first; i < last; i++) {
      const [x, ...cells] = d.row(i);
      const tr = h('tr');
      tr.append(h('th', x, undefined, { scope: 'row' }), ...cells.map((c) => h('td', c)));
      body.append(tr);
    }
    table.append(thead, body);
    const scroll = h('div', undefined, 'table-scroll');
    scroll.append(table);
    const parts: HTMLElement[] = [this.summary];
    if (!d.rows) parts.push(h('p', 'Nothing drawn yet.', 'muted'));
    else parts.push(scroll);
    if (d.rows > TABLE_PAGE) {
      this.prev.disabled = this.first === 0;
      this.next.disabled = last >= d.rows;
      this.where.textContent = `rows ${this.first + 1}–${last} of ${d.rows}`;
      parts.push(this.pager);
    }
    this.el.replaceChildren(...parts);
  }
}

/** The ascending union of ascending number arrays, each value once (a linear merge). */
export function unionSorted(lists: readonly (readonly number[])[]): number[] {
  let out: number[] = [];
  for (const list of lists) {
    if (!out.length) {
      out = dedupe(list);
      continue;
    }
    // The usual case: every series has the same steps.
    if (list.length === out.length && list.every((v, k) => v === out[k])) continue;
    const merged: number[] = [];
    let i = 0;
    let j = 0;
    while (i < out.length || j < list.length) {
      const v = j >= list.length || (i < out.length && out[i] <= list[j]) ? out[i++] : list[j++];
      if (merged[merged.length - 1] !== v) merged.push(v);
    }
    out = merged;
  }
  return out;
}

function dedupe(list: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of list) if (out[out.length - 1] !== v) out.push(v);
  return out;
}
