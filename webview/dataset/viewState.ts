// What the dataset grid remembers across reloads of the page (VS Code rebuilds a hidden
// webview; the host then sends a fresh snapshot): the columns the user arranged, the
// languages they added, the filter, the score column rows are sorted by and the scroll
// position. Kept with setState.
import type { DatasetToHost } from '../../protocol/datasetMessages';
import { SCORE_METRICS, type ScoreMetric } from '../../protocol/datasetScores';
import type { VsCodeApi } from '../vscodeApi';
import type { Filter } from './gridModel';
import type { ScoreSort } from './scoreModel';

export interface ViewState {
  /** Languages whose columns are hidden. */
  hidden: string[];
  /** The user's column order (the pivot always comes first). */
  order: string[];
  /** Languages added as empty columns: a column with no text yet is not in the file. */
  added: string[];
  filter: Filter;
  /** Rows ordered by a score column (weakest first by default); null: file order. */
  sort: ScoreSort | null;
  /** Pixels scrolled down, restored after the snapshot. */
  scrollTop: number;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function loadSort(v: unknown): ScoreSort | null {
  const s = (v && typeof v === 'object' ? v : {}) as Partial<Record<keyof ScoreSort, unknown>>;
  if (typeof s.lang !== 'string' || !SCORE_METRICS.includes(s.metric as ScoreMetric)) return null;
  return { lang: s.lang, metric: s.metric as ScoreMetric, descending: s.descending !== false };
}

export function loadViewState(raw: unknown): ViewState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof ViewState, unknown>>;
  const f = (s.filter && typeof s.filter === 'object' ? s.filter : {}) as Partial<Record<keyof Filter, unknown>>;
  return {
    hidden: strings(s.hidden),
    order: strings(s.order),
    added: strings(s.added),
    filter: {
      text: typeof f.text === 'string' ? f.text : '',
      missing: typeof f.missing === 'string' ? f.missing : null,
      problemsOnly: f.problemsOnly === true,
    },
    sort: loadSort(s.sort),
    scrollTop: typeof s.scrollTop === 'number' && s.scrollTop >= 0 ? s.scrollTop : 0,
  };
}

/** The page's side of the dataset contract (protocol/datasetMessages.ts). */
export interface DatasetApi {
  post(msg: DatasetToHost): void;
  save(state: ViewState): void;
  state(): unknown;
}

export function datasetApi(vscode: VsCodeApi): DatasetApi {
  // vscodeApi() is typed with the metrics views' messages; this view posts its own
  // contract, which the host validates with DatasetToHost.
  const raw = vscode as unknown as { postMessage(msg: unknown): void };
  return {
    post: (msg) => raw.postMessage(msg),
    save: (state) => vscode.setState(state),
    state: () => vscode.getState(),
  };
}
