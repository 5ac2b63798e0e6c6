// A run's Metrics panel in the browser: a header with the run's state, the loss chart,
// accuracy bars and the similarity heatmap. A `snapshot` replaces the data, `events`
// deltas append to it; the charts are built once, so the user's toggles, smoothing,
// log scale and heatmap step survive both (and a reload: they are kept with setState).
import type { RunInfo } from '../../protocol/runInfo';
import { HostToWebview, type PanelConfig } from '../../protocol/webviewMessages';
import { h } from '../dom';
import type { VsCodeApi } from '../vscodeApi';
import { AccuracyBars } from './accuracyBars';
import { Heatmap } from './heatmap';
import { LossChart, type LossChartState } from './lossChart';
import { MetricsModel } from './series';

type UiState = LossChartState & { heatmapStep: number | null };

function loadState(raw: unknown): UiState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<UiState>;
  return {
    hidden: Array.isArray(s.hidden) ? s.hidden.filter((k): k is string => typeof k === 'string') : [],
    smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : 0.6,
    log: s.log === true,
    heatmapStep: typeof s.heatmapStep === 'number' ? s.heatmapStep : null,
  };
}

export function startPanelView(root: HTMLElement, vscode: VsCodeApi): void {
  const state = loadState(vscode.getState());
  const save = () => vscode.setState(state);
  const header = h('header', undefined, 'run-header');
  const loss = new LossChart(state, save);
  const accuracy = new AccuracyBars();
  const heatmap = new Heatmap(state, save);
  const grid = h('div', undefined, 'panel-grid');
  grid.append(accuracy.el, heatmap.el);
  let model = new MetricsModel();
  let config: PanelConfig | null = null;
  let started = false;

  const redraw = () => {
    const low = config?.lowResource ?? [];
    loss.update(model, low);
    accuracy.update(model, low);
    heatmap.update(model);
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const r = HostToWebview.safeParse(event.data);
    if (!r.success) return; // not from the host, or a host of another version
    const msg = r.data;
    if (msg.type === 'snapshot') {
      if (!started) root.replaceChildren(header, loss.el, grid);
      started = true;
      model = new MetricsModel();
      config = msg.config;
      model.add(msg.events);
      renderHeader(header, msg.run, config);
      redraw();
    } else if (msg.type === 'events' && started) {
      if (msg.run) renderHeader(header, msg.run, config);
      if (model.add(msg.events)) redraw();
    }
  });
}

function renderHeader(header: HTMLElement, run: RunInfo, config: PanelConfig | null): void {
  const title = h('h2', run.name);
  title.append(' ', h('span', run.state, `state state-${run.state}`));
  const facts = [
    run.totalSteps ? `step ${run.step} / ${run.totalSteps}` : `step ${run.step}`,
    run.loss === undefined ? '' : `loss ${run.loss.toFixed(4)}`,
    config ? `pivot ${config.pivot}` : '',
    config?.lowResource.length ? `low-resource ${config.lowResource.join(', ')}` : '',
  ].filter(Boolean);
  header.replaceChildren(title, h('p', facts.join(' · '), 'muted'));
}
