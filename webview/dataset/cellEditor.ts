// Editing one cell in place: a textarea over the cell (multi-line, `dir="auto"`), Enter for
// a new line, Ctrl/Cmd+Enter or leaving the cell to commit, Escape to cancel. The editor
// never changes the data itself: a commit hands the new text to the grid, which asks the
// host; the document's change comes back as a delta. While a delta rebuilds the rows, the
// editor moves its textarea into the new cell and keeps focus and selection.
import { h } from '../dom';
import type { CellKey, ItemRow } from './gridModel';

export interface EditTarget {
  index: number;
  row: ItemRow;
  key: CellKey;
}

export class CellEditor {
  readonly textarea: HTMLTextAreaElement;
  private done = false;

  constructor(
    public target: EditTarget,
    readonly original: string,
    private readonly commit: (target: EditTarget, value: string, cell: HTMLElement | null) => void,
    private readonly closed: () => void,
  ) {
    this.textarea = h('textarea', undefined, 'ds-editor', {
      dir: 'auto',
      rows: '6',
      'aria-label': `Edit ${target.key.replace(':', ' ')} of line ${target.index + 1}`,
    });
    this.textarea.value = original;
    this.textarea.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.finish(false);
      } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.finish(true);
      }
      // Keys typed here are the text's, not the grid's.
      e.stopPropagation();
    });
    this.textarea.addEventListener('blur', () => this.finish(true));
  }

  /** Put the textarea in `cell` (the first time, or a rebuilt row's cell) with focus and selection kept. */
  mount(cell: HTMLElement): void {
    const { selectionStart, selectionEnd } = this.textarea;
    const first = !this.textarea.isConnected;
    this.moving = true;
    cell.classList.add('ds-editing');
    cell.append(this.textarea);
    this.textarea.focus();
    if (first) this.textarea.select();
    else this.textarea.setSelectionRange(selectionStart, selectionEnd);
    this.moving = false;
  }

  /** Moving the textarea blurs it; that blur is not the user leaving the cell. */
  private moving = false;

  get active(): boolean {
    return !this.done;
  }

  finish(save: boolean): void {
    if (this.done || this.moving) return;
    this.done = true;
    const value = this.textarea.value;
    const cell = this.textarea.closest<HTMLElement>('.ds-editing');
    cell?.classList.remove('ds-editing');
    this.textarea.remove();
    if (save && value !== this.original) this.commit(this.target, value, cell);
    this.closed();
  }
}
