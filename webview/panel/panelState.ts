// What the user set in a Metrics panel, kept with vscode.setState so it survives live
// deltas, hiding the tab and a window reload: hidden series (every chart's legend), the
// loss chart's metric, smoothing, log scale and zoom, the selected eval steps and the
// alignment tab. loadState accepts whatever getState returns (a state saved by an older
// page included) and falls back to defaults field by field.
import { ALIGNMENT_VIEWS, type AlignmentView } from './evalSeries';
import { LOSS_METRICS, type LossMetric } from './series';
import { isRange, type Range } from './zoom';

export interface UiState {
  /** Series keys switched off in a legend (`ce:sw`, `acc:te`, …). */
  hidden: string[];
  lossMetric: LossMetric;
  /** EMA weight of the loss chart, in [0, 1). */
  smoothing: number;
  log: boolean;
  /** The loss chart's shown step range; null = every step. */
  zoom: Range | null;
  /** The accuracy bars' eval step; null = follow the newest. */
  accuracyStep: number | null;
  alignmentView: AlignmentView;
  /** The alignment card's eval step; null = follow the newest. */
  heatmapStep: number | null;
  /** The run folder, read by the host to restore the panel after a reload (PanelRestoreState). */
  runDir?: string;
  /** The Generations card's own part, loaded and checked by that card. */
  generations?: unknown;
}

export function loadState(raw: unknown): UiState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<Record<keyof UiState, unknown>>;
  const step = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
  return {
    hidden: Array.isArray(s.hidden) ? s.hidden.filter((k): k is string => typeof k === 'string') : [],
    lossMetric: oneOf(LOSS_METRICS, s.lossMetric) ?? 'loss+ce',
    smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : 0.6,
    log: s.log === true,
    zoom: isRange(s.zoom) ? [s.zoom[0], s.zoom[1]] : null,
    accuracyStep: step(s.accuracyStep),
    alignmentView: oneOf(ALIGNMENT_VIEWS, s.alignmentView) ?? 'similarity',
    heatmapStep: step(s.heatmapStep),
    ...(typeof s.runDir === 'string' ? { runDir: s.runDir } : {}),
    ...(s.generations === undefined ? {} : { generations: s.generations }),
  };
}

function oneOf<T extends string>(options: readonly T[], v: unknown): T | undefined {
  return options.find((o) => o === v);
}

/** Switch a legend key on or off. */
export function toggleHidden(state: Pick<UiState, 'hidden'>, key: string): void {
  const hidden = new Set(state.hidden);
  if (hidden.has(key)) hidden.delete(key);
  else hidden.add(key);
  state.hidden = [...hidden];
}
