// The controls above the dataset grid: the filter (text, "missing in", problems only) with
// the count of items it keeps, a chip per language that shows or hides its columns, adding
// a language column and adding an item. It edits the view state and says so; the view
// redraws. Nothing here touches the document.
import { LanguageCode } from '../../protocol/dataset';
import { button, checkbox, select, setOptions, setValue, textfield } from '../controls';
import { h } from '../dom';
import type { ViewState } from './viewState';

export interface ToolbarEvents {
  /** The filter or the shown columns changed. */
  changed(): void;
  addItem(): void;
  notice(message: string): void;
}

export class Toolbar {
  readonly el = h('div', undefined, 'ds-toolbar');
  private readonly search = textfield('Filter by id or text', 'ds-filter', {
    type: 'search',
    placeholder: 'Filter by id or text',
  });
  private readonly missing = select('Show items missing a language', [], 'ds-missing-filter');
  private readonly problems = checkbox('Problems only', 'ds-problems');
  private readonly count = h('span', undefined, 'ds-count muted', { 'aria-live': 'polite' });
  private readonly chips = h('div', undefined, 'ds-chips', { role: 'group', 'aria-label': 'Languages shown' });
  private readonly newLang = textfield('Language code of a new column', 'ds-newlang', { placeholder: 'language code' });

  constructor(
    private readonly state: ViewState,
    private readonly events: ToolbarEvents,
  ) {
    this.search.value = state.filter.text;
    this.problems.checked = state.filter.problemsOnly;
    this.search.addEventListener('input', () => {
      state.filter.text = this.search.value;
      events.changed();
    });
    this.missing.addEventListener('change', () => {
      state.filter.missing = this.missing.value || null;
      events.changed();
    });
    this.problems.addEventListener('change', () => {
      state.filter.problemsOnly = this.problems.checked;
      events.changed();
    });
    const addLang = button('Add language', 'ds-addlang', {}, true);
    addLang.addEventListener('click', () => this.addLanguage());
    this.newLang.addEventListener('keydown', (e) => e.key === 'Enter' && this.addLanguage());
    const addItem = button('+ Item', 'ds-additem', { title: 'Add an item at the end of the file' });
    addItem.addEventListener('click', () => events.addItem());
    const filters = h('div', undefined, 'ds-filters');
    filters.append(this.search, this.missing, this.problems, this.count);
    const languages = h('div', undefined, 'ds-languages');
    languages.append(this.chips, this.newLang, addLang, addItem);
    this.el.append(filters, languages);
  }

  /** Redraw the language chips, the "missing in" choices and the count. */
  update(
    langs: readonly string[],
    coverage: ReadonlyMap<string, number>,
    counts: { shown: number; items: number; unreadable: number },
  ): void {
    // The view may reset the filter (to show a new item); the inputs follow.
    if (this.search.value !== this.state.filter.text) this.search.value = this.state.filter.text;
    this.problems.checked = this.state.filter.problemsOnly;
    this.chips.replaceChildren(
      ...langs.map((lang) => {
        const on = !this.state.hidden.includes(lang);
        const chip = h('button', lang, 'ds-chip', {
          'aria-pressed': String(on),
          title: `${on ? 'Hide' : 'Show'} ${lang} (${coverage.get(lang) ?? 0} items)`,
          'data-lang': lang,
        });
        chip.addEventListener('click', () => {
          this.state.hidden = on ? [...this.state.hidden, lang] : this.state.hidden.filter((l) => l !== lang);
          this.events.changed();
        });
        return chip;
      }),
    );
    const current = this.state.filter.missing;
    const value = current && langs.includes(current) ? current : '';
    const options: [string, string][] = [
      ['', 'All items'],
      ...langs.map((l): [string, string] => [l, `Missing in ${l}`]),
    ];
    const sig = JSON.stringify(options);
    if (this.missing.dataset.options !== sig) {
      this.missing.dataset.options = sig;
      setOptions(this.missing, options, value);
    } else setValue(this.missing, value);
    const { shown, items, unreadable } = counts;
    // Unreadable lines are rows too (shown so they can be fixed), so they are counted with the items.
    const total = items + unreadable;
    const noun = unreadable ? 'lines' : 'items';
    this.count.textContent =
      shown === total
        ? `${items} items${unreadable ? ` · ${unreadable} unreadable line${unreadable === 1 ? '' : 's'}` : ''}`
        : `${shown} of ${total} ${noun}`;
  }

  private addLanguage(): void {
    const code = this.newLang.value.trim();
    if (!code) return;
    if (!LanguageCode.safeParse(code).success) {
      this.events.notice(`"${code}" is not a language code such as "sw" or "zh-Hant".`);
      return;
    }
    if (!this.state.added.includes(code)) this.state.added = [...this.state.added, code];
    this.state.hidden = this.state.hidden.filter((l) => l !== code);
    this.newLang.value = '';
    this.events.changed();
  }
}
