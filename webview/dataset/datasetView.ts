// The dataset editor's page (data-view="dataset"): a header, the toolbar and the grid of a
// `*.parallel.jsonl` document. The host sends a snapshot after `ready`, then deltas; the
// page sends the user's edits as requests and shows what the document becomes. A model's
// scores, when the host has them, add score columns per language that rows can be sorted
// by. Column arrangement, added languages, the filter, the sort and the scroll position are
// kept with setState.
import { HostToDataset } from '../../protocol/datasetMessages';
import { h } from '../dom';
import type { VsCodeApi } from '../vscodeApi';
import { Grid } from './grid';
import { type CellKey, GridModel } from './gridModel';
import { splitKey } from './rowView';
import { ScoreBar } from './scoreBar';
import { nextSort } from './scoreModel';
import { Toolbar } from './toolbar';
import { datasetApi, loadViewState } from './viewState';

export function startDatasetView(root: HTMLElement, vscode: VsCodeApi): void {
  const api = datasetApi(vscode);
  const state = loadViewState(api.state());
  const save = () => api.save(state);
  const model = new GridModel();
  const title = h('h2', undefined, 'ds-title');
  const fileNotes = h('div', undefined, 'ds-file-problems');
  const notice = h('div', undefined, 'ds-notice', { role: 'status' });
  let started = false;
  let restored = false;

  const showNotice = (message: string) => {
    notice.textContent = message;
    notice.classList.toggle('hidden', !message);
  };

  const grid = new Grid(model, {
    edit: (target, value) => {
      const { key, index, row } = target;
      // Emptying a prompt or response removes it (a prompt takes the item's language with it).
      const field = key === 'id' || key === 'answer' ? { key } : { key: splitKey(key)[0], lang: splitKey(key)[1] };
      const cleared = value === '' && 'lang' in field;
      api.post({ type: 'edit', index, id: row.id, field, value: cleared ? null : value });
    },
    action: (type, index) => {
      const row = model.rows[index];
      api.post({ type, index, id: row?.kind === 'item' ? row.id : null });
    },
    reveal: (index) => {
      const row = model.rows[index];
      const column = row && row.kind !== 'blank' ? row.problems[0]?.column : undefined;
      api.post({ type: 'reveal', index, ...(column === undefined ? {} : { column }) });
    },
    language: (action, lang) => {
      const langs = shownLanguages();
      if (action === 'hide') state.hidden = [...state.hidden, lang];
      else {
        const i = langs.indexOf(lang);
        const j = action === 'left' ? i - 1 : i + 1;
        if (j < 0 || j >= langs.length || langs[j] === model.pivot) return;
        [langs[i], langs[j]] = [langs[j], langs[i]];
        // The hidden languages keep their places after the shown ones.
        state.order = [...langs, ...state.order.filter((l) => !langs.includes(l))];
      }
      redraw();
    },
    sort: (lang, metric) => {
      state.sort = nextSort(state.sort, lang, metric);
      redraw();
    },
    scrolled: (top) => {
      // Before the snapshot is drawn there is no position of the user's to keep.
      if (!restored) return;
      state.scrollTop = top;
      save();
    },
  });

  const toolbar = new Toolbar(state, {
    changed: () => redraw(),
    addItem: () => api.post({ type: 'addItem' }),
    notice: showNotice,
  });

  const scoreBar = new ScoreBar((changedOnly) => api.post({ type: 'score', ...(changedOnly ? { changedOnly } : {}) }));

  const allLanguages = () => model.languages(state.added, state.order);
  const shownLanguages = () => allLanguages().filter((l) => !state.hidden.includes(l));

  function redraw(): void {
    const langs = allLanguages();
    // A sort by a column no longer shown (the scores went, the language was hidden) is dropped.
    if (
      state.sort &&
      (!model.scores.metrics(state.sort.lang).includes(state.sort.metric) || state.hidden.includes(state.sort.lang))
    )
      state.sort = null;
    model.sort = state.sort;
    const kept = model.filter(state.filter);
    const visible = state.sort ? model.scores.sort(kept, model.rows, state.sort) : kept;
    toolbar.update(langs, model.coverage(), {
      shown: visible.length,
      items: model.itemCount,
      unreadable: model.unreadableCount,
    });
    title.textContent = model.file;
    scoreBar.update(model.scores, model.rows);
    fileNotes.replaceChildren(...model.wholeFile.map((p) => h('p', p.message, `ds-${p.severity}`)));
    grid.update(
      visible,
      langs.filter((l) => !state.hidden.includes(l)),
    );
    save();
  }

  /** The cell to edit in a new item: its pivot prompt while empty, else its id (a duplicate). */
  function focusKey(index: number): CellKey {
    const row = model.rows[index];
    if (row?.kind !== 'item') return 'id';
    const pivot = row.langs.find((l) => l.lang === model.pivot);
    return pivot?.prompt ? 'id' : `prompt:${model.pivot}`;
  }

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const r = HostToDataset.safeParse(event.data);
    if (!r.success) return; // not from the host, or a host of another version
    const msg = r.data;
    if (msg.type === 'notice') {
      showNotice(msg.message);
      return;
    }
    if (msg.type === 'scores' || msg.type === 'scoring') {
      if (msg.type === 'scores') model.scores.set(msg.scores);
      else scoreBar.scoring(msg.running, msg.message);
      if (started) redraw();
      return;
    }
    if (msg.type === 'rows' && !started) return;
    if (!started) {
      root.replaceChildren(title, fileNotes, toolbar.el, scoreBar.el, notice, grid.el);
      root.classList.add('ds-root');
      showNotice('');
      started = true;
    }
    model.apply(msg);
    if (msg.type === 'rows') showNotice('');
    redraw();
    if (!restored) {
      restored = true;
      grid.scrollTo(state.scrollTop);
    }
    if (msg.type === 'rows' && msg.focus !== undefined) {
      // A new item the filter would hide is shown: the user just asked for it.
      if (!model.filter(state.filter).includes(msg.focus)) {
        state.filter = { text: '', missing: null, problemsOnly: false };
        redraw();
      }
      grid.focus(msg.focus, focusKey(msg.focus));
    }
  });
}
