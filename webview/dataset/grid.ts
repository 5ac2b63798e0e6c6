// The dataset grid: a sticky column header over virtualised rows. Every row has the same
// height (media/dataset.css), so only the rows in view (plus a margin) are in the DOM,
// between two spacers sized to the rows above and below them: 20,000 items scroll as
// smoothly as 20. The spacers are SVG elements sized by their height attribute, as the
// CSP refuses inline styles.
import type { ScoreMetric } from '../../protocol/datasetScores';
import { h, svg } from '../dom';
import { CellEditor, type EditTarget } from './cellEditor';
import type { CellKey, GridModel } from './gridModel';
import { buildHeader, buildRow, cellText } from './rowView';

/** Rows built beyond each edge of the view, so a short scroll shows rows already there. */
const OVERSCAN = 6;
/** Until a row has been measured (px). */
const DEFAULT_ROW_HEIGHT = 64;

export interface GridActions {
  edit(target: EditTarget, value: string): void;
  action(type: 'deleteItem' | 'duplicateItem', index: number): void;
  reveal(index: number): void;
  language(action: 'left' | 'right' | 'hide', lang: string): void;
  /** A score column's header was clicked. */
  sort(lang: string, metric: ScoreMetric): void;
  scrolled(scrollTop: number): void;
}

export class Grid {
  readonly el: HTMLElement;
  private readonly head = h('div', undefined, 'ds-headwrap');
  private readonly body = h('div', undefined, 'ds-body', { role: 'rowgroup' });
  private readonly above = svg('svg', { class: 'ds-spacer', width: 1, height: 0, 'aria-hidden': 'true' });
  private readonly below = svg('svg', { class: 'ds-spacer', width: 1, height: 0, 'aria-hidden': 'true' });
  private rowHeight = DEFAULT_ROW_HEIGHT;
  private measured = false;
  /** Indices of the rows the filter keeps, in order. */
  private visible: number[] = [];
  private langs: string[] = [];
  private window = { first: -1, last: -1 };
  private editor: CellEditor | null = null;
  private frame = 0;
  private scrolledSinceFrame = false;

  constructor(
    private readonly model: GridModel,
    private readonly actions: GridActions,
  ) {
    this.el = h('div', undefined, 'ds-scroll', { role: 'grid' });
    this.el.append(this.head, this.above, this.body, this.below);
    this.el.addEventListener('scroll', () => this.schedule(true));
    new ResizeObserver(() => this.schedule(false)).observe(this.el);
    this.el.addEventListener('click', (e) => this.click(e));
    this.el.addEventListener('keydown', (e) => {
      const cell = (e.target as HTMLElement).closest<HTMLElement>('.ds-cell[data-cell]');
      if (cell && (e.key === 'Enter' || e.key === 'F2')) {
        e.preventDefault();
        this.startEdit(cell);
      }
    });
  }

  /** New rows or columns: rebuild the header and the rows in view; the scroll position stays. */
  update(visible: number[], langs: string[]): void {
    this.visible = visible;
    this.langs = langs;
    this.head.replaceChildren(buildHeader(this.model, langs));
    this.followEditor();
    this.window = { first: -1, last: -1 };
    this.render();
  }

  get scrollTop(): number {
    return this.el.scrollTop;
  }

  scrollTo(top: number): void {
    this.el.scrollTop = top;
    this.render();
  }

  /** Scroll line `index` into view and edit `key` in it (the item just added or duplicated). */
  focus(index: number, key: CellKey): void {
    const at = this.visible.indexOf(index);
    if (at < 0) return;
    const top = at * this.rowHeight;
    if (
      top < this.el.scrollTop ||
      top + this.rowHeight > this.el.scrollTop + this.el.clientHeight - this.head.offsetHeight
    )
      this.el.scrollTop = Math.max(0, top - this.el.clientHeight / 3);
    this.render();
    const cell = this.body.querySelector<HTMLElement>(
      `.ds-row[data-index="${index}"] [data-cell="${CSS.escape(key)}"]`,
    );
    if (cell) this.startEdit(cell);
  }

  /** Render at the next frame; `scrolled`: the user scrolled (a resize is not a position to keep). */
  private schedule(scrolled: boolean): void {
    this.scrolledSinceFrame ||= scrolled;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
      if (this.scrolledSinceFrame) this.actions.scrolled(this.el.scrollTop);
      this.scrolledSinceFrame = false;
    });
  }

  private render(): void {
    const n = this.visible.length;
    const viewRows = Math.ceil(Math.max(this.el.clientHeight, 200) / this.rowHeight);
    const first = Math.max(0, Math.min(n - 1, Math.floor(this.el.scrollTop / this.rowHeight) - OVERSCAN));
    const last = Math.min(n - 1, first + viewRows + 2 * OVERSCAN);
    if (first === this.window.first && last === this.window.last) return;
    this.window = { first, last };
    this.above.setAttribute('height', String(Math.max(0, first) * this.rowHeight));
    this.below.setAttribute('height', String(Math.max(0, n - 1 - last) * this.rowHeight));
    const editing = this.editor?.active ? this.editor : null;
    const keep = editing?.textarea.closest<HTMLElement>('.ds-row') ?? null;
    const rows: HTMLElement[] = [];
    for (let k = first; k <= last && n > 0; k++) {
      const index = this.visible[k];
      rows.push(keep && editing!.target.index === index ? keep : buildRow(this.model, index, this.langs));
    }
    // The row being edited stays in place (moving it would blur the textarea); the others
    // are replaced around it. A row scrolled out of the window takes its editor with it (a commit).
    for (const child of [...this.body.children]) if (child !== keep) child.remove();
    const at = keep ? rows.indexOf(keep) : -1;
    if (keep && at < 0) keep.remove();
    if (at < 0) this.body.append(...rows);
    else {
      keep!.before(...rows.slice(0, at));
      keep!.after(...rows.slice(at + 1));
    }
    if (!this.measured && this.body.firstElementChild) {
      const height = this.body.firstElementChild.getBoundingClientRect().height;
      if (height > 0) {
        this.measured = true;
        if (Math.abs(height - this.rowHeight) > 0.5) {
          this.rowHeight = height;
          this.window = { first: -1, last: -1 };
          this.render();
        }
      }
    }
  }

  /** After the rows changed: find the edited item again (it may have moved), or close the editor. */
  private followEditor(): void {
    const ed = this.editor;
    if (!ed?.active) return;
    const rows = this.model.rows;
    let index = rows[ed.target.index] === ed.target.row ? ed.target.index : rows.indexOf(ed.target.row);
    if (index < 0) {
      // The line was rewritten (in the text view, say): the same item is the row with its id.
      const id = ed.target.row.id;
      index = rows.findIndex((r) => r.kind === 'item' && r.id === id && id !== null);
    }
    const row = rows[index];
    if (row?.kind !== 'item' || !this.visible.includes(index)) {
      ed.finish(false);
      return;
    }
    const moved = row !== ed.target.row || index !== ed.target.index;
    ed.target = { ...ed.target, index, row };
    if (moved) {
      // Rebuild the row around the textarea, keeping focus.
      const old = ed.textarea.closest<HTMLElement>('.ds-row');
      const fresh = buildRow(this.model, index, this.langs);
      const cell = fresh.querySelector<HTMLElement>(`[data-cell="${CSS.escape(ed.target.key)}"]`);
      if (!old || !cell) {
        ed.finish(false);
        return;
      }
      old.before(fresh);
      ed.mount(cell);
      old.remove();
    }
  }

  private click(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const button = target.closest<HTMLButtonElement>('button');
    if (button?.dataset.langAction && button.dataset.lang) {
      this.actions.language(button.dataset.langAction as 'left' | 'right' | 'hide', button.dataset.lang);
      return;
    }
    if (button?.dataset.sortLang && button.dataset.sortMetric) {
      this.actions.sort(button.dataset.sortLang, button.dataset.sortMetric as ScoreMetric);
      return;
    }
    const index = Number(target.closest<HTMLElement>('.ds-row')?.dataset.index);
    if (button?.dataset.action && Number.isInteger(index)) {
      const action = button.dataset.action;
      if (action === 'reveal') this.actions.reveal(index);
      else if (action === 'deleteItem' || action === 'duplicateItem') this.actions.action(action, index);
      return;
    }
    const cell = target.closest<HTMLElement>('.ds-cell[data-cell]');
    if (cell && !cell.classList.contains('ds-editing')) this.startEdit(cell);
  }

  private startEdit(cell: HTMLElement): void {
    const index = Number(cell.closest<HTMLElement>('.ds-row')?.dataset.index);
    const row = this.model.rows[index];
    const key = cell.dataset.cell as CellKey;
    if (row?.kind !== 'item' || !key) return;
    this.editor?.finish(true);
    const editor = new CellEditor(
      { index, row, key },
      cellText(row, key) ?? '',
      (target, value, edited) => {
        this.actions.edit(target, value);
        // Shown at once; the document's change then arrives as a delta and rebuilds the row.
        const span = edited?.querySelector('.ds-text-value');
        if (span) span.textContent = value;
      },
      () => {
        if (this.editor === editor) this.editor = null;
      },
    );
    this.editor = editor;
    editor.mount(cell);
  }
}
