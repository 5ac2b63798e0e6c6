// A chart's legend: one toggle button per series (aria-pressed says whether it is drawn),
// with a swatch in the series' colour and dash, and low-resource languages marked in
// words. Buttons are made once per key and reused, so focus and state survive updates;
// the hidden keys live in the panel state (saved with setState).
import { h, svg } from '../dom';
import { toggleHidden } from './panelState';

export interface LegendEntry {
  key: string;
  label: string;
  /** A CSS colour; omitted: the theme's foreground (the total loss). */
  colour?: string;
  /** Dashed like its line (low-resource languages). */
  dashed?: boolean;
  /** Marked "low-resource" in words too. */
  low?: boolean;
}

export class Legend {
  readonly el = h('div', undefined, 'legend');
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly drawn = new Map<string, string>();

  constructor(
    private readonly state: { hidden: string[] },
    /** Called after a toggle changed the hidden keys. */
    private readonly changed: () => void,
  ) {}

  /** Show these entries, in this order; buttons for other keys leave the DOM but keep their state. */
  sync(entries: readonly LegendEntry[]): void {
    this.el.replaceChildren(...entries.map((e) => this.button(e)));
  }

  shows(key: string): boolean {
    return !this.state.hidden.includes(key);
  }

  private button(e: LegendEntry): HTMLButtonElement {
    let b = this.buttons.get(e.key);
    if (!b) {
      const button = h('button', undefined, 'legend-item', { 'data-key': e.key });
      button.addEventListener('click', () => {
        toggleHidden(this.state, e.key);
        button.setAttribute('aria-pressed', String(this.shows(e.key)));
        this.changed();
      });
      this.buttons.set(e.key, button);
      b = button;
    }
    // Only what the button shows: an entry may carry its whole series along.
    const sig = JSON.stringify([e.label, e.colour, e.dashed, e.low]);
    if (this.drawn.get(e.key) !== sig) {
      this.drawn.set(e.key, sig);
      const swatch = svg('svg', { class: 'swatch', viewBox: '0 0 16 4', width: 16, height: 4, 'aria-hidden': 'true' });
      const cls = `series${e.dashed ? ' low' : ''}${e.colour ? '' : ' total'}`;
      swatch.append(
        svg('line', { x1: 0, y1: 2, x2: 16, y2: 2, class: cls, ...(e.colour ? { stroke: e.colour } : {}) }),
      );
      b.replaceChildren(swatch, ` ${e.label}`, ...(e.low ? [h('span', ' low-resource', 'low-resource')] : []));
    }
    b.setAttribute('aria-pressed', String(this.shows(e.key)));
    return b;
  }
}
