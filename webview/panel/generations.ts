// The Generations card of the Metrics panel: browse a saved evaluation (`solar eval` writes
// evals/<data>-step-NNNNNN.json) item by item across languages side by side: prompt,
// generation, extracted and gold answer, right or wrong. The page asks the host for the
// list of files and then for the one picked (`request` messages; the host reads and
// validates them, extension/evalFiles.ts); a filter (all, wrong, disagreeing with the
// pivot), a language picker and paging keep a 1000-item report quick. The choices are kept
// with the panel's state (setState), so they survive a reload.
import type { EvalReport } from '../../protocol/evalReport';
import { reportItems } from '../../protocol/evalReport';
import type { EvalFileInfo, HostToWebview, PanelConfig } from '../../protocol/webviewMessages';
import { button, checkbox, optionOf, select, setOptions, setValue, type VscodeOption } from '../controls';
import { h } from '../dom';
import type { VsCodeApi } from '../vscodeApi';
import {
  FILTERS,
  type Filter,
  filterItems,
  isDetailed,
  languageOrder,
  pageOf,
  shownLanguages,
} from './generationsModel';
import { generationsTable } from './generationsTable';

export interface GenerationsState {
  /** The picked file; null follows the newest. */
  file: string | null;
  filter: Filter;
  /** Picked languages; null: the default columns. */
  langs: string[] | null;
  page: number;
}

export function loadGenerationsState(raw: unknown): GenerationsState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<GenerationsState>;
  return {
    file: typeof s.file === 'string' ? s.file : null,
    filter: FILTERS.includes(s.filter as Filter) ? (s.filter as Filter) : 'all',
    langs: Array.isArray(s.langs) ? s.langs.filter((l): l is string => typeof l === 'string') : null,
    page: typeof s.page === 'number' && s.page >= 0 ? Math.floor(s.page) : 0,
  };
}

const FILTER_LABELS: Record<Filter, string> = {
  all: 'All items',
  wrong: 'Wrong answers',
  disagree: 'Disagreeing with the pivot',
};

type EvalMessage = Extract<HostToWebview, { type: 'evalFiles' | 'evalReport' }>;

export class Generations {
  readonly el = h('section', undefined, 'card generations');
  private readonly st: GenerationsState;
  private readonly fileSelect = select('Saved evaluation', []);
  private readonly filterSelect = select(
    'Which items',
    FILTERS.map((f) => [f, FILTER_LABELS[f]]),
  );
  private readonly langPicker = h('fieldset', undefined, 'gen-langs');
  private readonly summary = h('p', '', 'muted gen-summary');
  private readonly body = h('div', undefined, 'gen-body');
  private readonly prev = button('Previous', undefined, {}, true);
  private readonly next = button('Next', undefined, {}, true);
  private readonly pageLabel = h('span', '', 'muted gen-page', { 'aria-live': 'polite' });
  private readonly controls = h('div', undefined, 'controls');
  private readonly pager = h('nav', undefined, 'gen-pager', { 'aria-label': 'Pages of items' });
  private files: EvalFileInfo[] = [];
  private loaded?: { file: EvalFileInfo; report: EvalReport };
  private pending?: string;
  private error?: { name: string; message: string };
  private config: PanelConfig | null = null;
  private asked = false;

  constructor(
    private readonly vscode: VsCodeApi,
    /** The panel's saved state; this card keeps its part under `generations`. */
    private readonly shared: { generations?: unknown },
    private readonly save: () => void,
    /** The shown run's folder, for the empty card's Evaluate Checkpoint… button. */
    private readonly runDir: () => string | undefined,
  ) {
    this.st = loadGenerationsState(shared.generations);
    setValue(this.filterSelect, this.st.filter);
    this.fileSelect.addEventListener('change', () => {
      // The newest file stays "follow the newest": a later evaluation then shows by itself.
      this.st.file = this.fileSelect.value === this.files[0]?.name ? null : this.fileSelect.value;
      this.st.page = 0;
      this.persist();
      this.load();
    });
    this.filterSelect.addEventListener('change', () => {
      this.st.filter = this.filterSelect.value as Filter;
      this.st.page = 0;
      this.persist();
      this.draw();
    });
    this.prev.addEventListener('click', () => this.turn(-1));
    this.next.addEventListener('click', () => this.turn(1));
    const controls = this.controls;
    const fileLabel = h('label', 'Evaluation ');
    fileLabel.append(this.fileSelect);
    const filterLabel = h('label', 'Show ');
    filterLabel.append(this.filterSelect);
    controls.append(fileLabel, filterLabel);
    const pager = this.pager;
    pager.append(this.prev, this.pageLabel, this.next);
    this.el.append(h('h3', 'Generations'), controls, this.langPicker, this.summary, this.body, pager);
    // Nothing to pick from until the host has listed the run's evaluations.
    this.controls.hidden = this.pager.hidden = true;
    this.showMessage('Waiting for the run…');
  }

  /** The run's config came with a snapshot; the first one asks the host for the file list. */
  setConfig(config: PanelConfig | null): void {
    this.config = config;
    if (!this.asked) {
      this.asked = true;
      this.vscode.postMessage({ type: 'request', request: { what: 'evalFiles' } });
    } else this.draw();
  }

  receive(msg: EvalMessage): void {
    if (msg.type === 'evalFiles') {
      this.files = msg.files;
      if (msg.select && this.files.some((f) => f.name === msg.select)) {
        // The host picked the file (Evaluate Checkpoint saved it): show it, first page, in view.
        this.st.file = msg.select === this.files[0].name ? null : msg.select;
        this.st.page = 0;
        this.persist();
        this.el.scrollIntoView({ block: 'start' });
      }
      setOptions(
        this.fileSelect,
        this.files.map((f) => [f.name, `${f.data} · step ${f.step}`]),
        this.selected()?.name ?? '',
      );
      this.load();
      return;
    }
    if (msg.name !== this.pending) return; // an answer to an earlier pick
    this.pending = undefined;
    const file = this.files.find((f) => f.name === msg.name);
    if (msg.report && file) {
      this.loaded = { file, report: msg.report };
      this.error = undefined;
    } else this.error = { name: msg.name, message: msg.error ?? 'the host sent no report' };
    this.draw();
  }

  private selected(): EvalFileInfo | undefined {
    return this.files.find((f) => f.name === this.st.file) ?? this.files[0];
  }

  /** Ask for the selected file unless it is the one shown (and unchanged) or already asked for. */
  private load(): void {
    const f = this.selected();
    const shown = this.loaded?.file;
    if (!f || (shown?.name === f.name && shown.mtimeMs === f.mtimeMs)) {
      this.draw();
      return;
    }
    setValue(this.fileSelect, f.name);
    if (this.pending === f.name) return;
    this.pending = f.name;
    this.error = undefined;
    this.vscode.postMessage({ type: 'request', request: { what: 'evalReport', name: f.name } });
    this.showMessage(`Loading ${f.data} · step ${f.step}…`);
  }

  private draw(): void {
    const f = this.selected();
    this.fileSelect.disabled = this.files.length < 2;
    // With nothing to browse, no empty pickers or pager: what to do instead.
    this.controls.hidden = this.pager.hidden = !f;
    if (!f) {
      this.showEmpty();
      return;
    }
    setValue(this.fileSelect, f.name);
    if (this.error?.name === f.name) {
      this.showMessage(`Could not read ${f.name}: ${this.error.message}`, true);
      return;
    }
    if (this.loaded?.file.name !== f.name) return;
    const report = this.loaded.report;
    const pivot = this.config?.pivot;
    const low = this.config?.lowResource ?? [];
    const order = languageOrder(report, pivot, low);
    const langs = shownLanguages(order, this.st.langs);
    this.drawLanguagePicker(order, langs);
    const detailed = isDetailed(report);
    const hasPivot = pivot !== undefined && order.includes(pivot);
    this.option('wrong').disabled = !detailed;
    this.option('disagree').disabled = !hasPivot || !detailed;
    const filter = this.option(this.st.filter).disabled ? 'all' : this.st.filter;
    setValue(this.filterSelect, filter);
    const kept = filterItems(report, langs, filter, pivot);
    const page = pageOf(kept, this.st.page);
    this.st.page = page.index; // past the end after a narrower filter: the last page
    const n = reportItems(report);
    const facts = [
      `${n} items`,
      filter === 'all' ? '' : `${kept.length} ${FILTER_LABELS[filter].toLowerCase()}`,
      report.accuracyMean === undefined ? '' : `mean accuracy ${(report.accuracyMean * 100).toFixed(1)}%`,
      ...Object.entries(report.notEvaluated).map(([l, why]) => `${l} not evaluated (${why})`),
      detailed ? '' : 'written by an older "solar eval": no prompts or right/wrong marks (evaluate again for them)',
    ];
    this.summary.textContent = facts.filter(Boolean).join(' · ');
    this.body.replaceChildren(
      page.items.length
        ? generationsTable({ report, langs, pivot, lowResource: low }, page.items)
        : h('p', 'No item matches the filter in the shown languages.', 'muted'),
    );
    this.pageLabel.textContent = page.items.length
      ? `items ${page.from}–${page.to} of ${kept.length} (page ${page.index + 1} of ${page.pages})`
      : '';
    this.prev.disabled = page.index === 0;
    this.next.disabled = page.index >= page.pages - 1;
  }

  private drawLanguagePicker(order: string[], shown: string[]): void {
    const boxes = order.map((l) => {
      const box = checkbox(l, l === this.config?.pivot ? 'pivot' : undefined, { value: l });
      box.checked = shown.includes(l);
      box.addEventListener('change', () => {
        const picked = [...this.langPicker.querySelectorAll('vscode-checkbox')]
          .filter((b) => b.checked)
          .map((b) => b.value);
        if (!picked.length) box.checked = true; // at least one column
        this.st.langs = picked.length ? picked : [l];
        this.st.page = 0;
        this.persist();
        this.draw();
      });
      return box;
    });
    this.langPicker.replaceChildren(h('legend', 'Languages'), ...boxes);
  }

  private option(f: Filter): VscodeOption {
    return optionOf(this.filterSelect, f)!;
  }

  private turn(delta: number): void {
    this.st.page = Math.max(0, this.st.page + delta);
    this.persist();
    this.draw();
  }

  private showMessage(text: string, error = false): void {
    this.langPicker.replaceChildren();
    this.summary.textContent = '';
    this.pageLabel.textContent = '';
    this.prev.disabled = true;
    this.next.disabled = true;
    this.body.replaceChildren(h('p', text, error ? 'error' : 'muted', error ? { role: 'alert' } : {}));
  }

  /** No saved evaluation: say how to make one, with the command one click away. */
  private showEmpty(): void {
    this.showMessage(
      'No evaluations yet: run Evaluate Checkpoint… to generate an answer for every eval item in every language at a checkpoint (from a terminal: solar eval <run folder>). Each saved evaluation shows here, item by item.',
    );
    const dir = this.runDir();
    if (!dir) return;
    const evaluate = button('Evaluate Checkpoint…', 'gen-evaluate');
    evaluate.addEventListener('click', () =>
      this.vscode.postMessage({ type: 'command', command: 'solar.evaluateCheckpoint', runDir: dir }),
    );
    this.body.append(evaluate);
  }

  private persist(): void {
    this.shared.generations = this.st;
    this.save();
  }
}
