// A run's Metrics panel in the browser: a header with the run's state and Export CSV,
// then one card per chart (loss; accuracy; alignment; separability and consistency). A
// `snapshot` replaces the data, `events` deltas append to it; the cards are built once,
// so the user's toggles, smoothing, log scale, zoom and steps survive both (and a reload:
// they are kept with setState, panelState.ts).
import { describeModel, type RunInfo } from '../../protocol/runInfo';
import { HostToWebview, type PanelConfig } from '../../protocol/webviewMessages';
import { h } from '../dom';
import type { VsCodeApi } from '../vscodeApi';
import { AccuracyCard } from './accuracyCard';
import { metricsCsv } from './csv';
import { csvButton, type Exporter } from './exportButtons';
import { Generations } from './generations';
import { Heatmap } from './heatmap';
import { LossChart } from './lossChart';
import { loadState } from './panelState';
import { MetricsModel } from './series';
import { consistencyCard, separabilityCard } from './trendCards';

export function startPanelView(root: HTMLElement, vscode: VsCodeApi): void {
  const state = loadState(vscode.getState());
  const save = () => vscode.setState(state);
  let model = new MetricsModel();
  let config: PanelConfig | null = null;
  let run: RunInfo | undefined;
  let started = false;
  const exporter: Exporter = { post: (msg) => vscode.postMessage(msg), run: () => run };

  const header = h('header', undefined, 'run-header');
  const top = h('div', undefined, 'panel-top');
  top.append(
    header,
    csvButton(exporter, () => metricsCsv(model.trainEvents, model.evals)),
  );
  const loss = new LossChart(state, save, exporter);
  const accuracy = new AccuracyCard(state, save, exporter);
  const alignment = new Heatmap(state, save, exporter);
  const separability = separabilityCard(state, save, exporter);
  const consistency = consistencyCard(state, save, exporter);
  const cards = [loss, accuracy, alignment, separability, consistency];
  const grid = h('div', undefined, 'panel-grid');
  grid.append(accuracy.el, alignment.el);
  const trends = h('div', undefined, 'panel-grid trends');
  trends.append(separability.el, consistency.el);
  // Saved evaluations (evals/), asked for from the host on the first snapshot.
  const generations = new Generations(vscode, state, save, () => run?.dir);

  const redraw = () => {
    for (const card of cards) card.update(model, config?.lowResource ?? []);
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const r = HostToWebview.safeParse(event.data);
    if (!r.success) return; // not from the host, or a host of another version
    const msg = r.data;
    if (msg.type === 'snapshot') {
      if (!started) root.replaceChildren(top, loss.el, grid, trends, generations.el);
      started = true;
      model = new MetricsModel();
      config = msg.config;
      run = msg.run;
      model.add(msg.events);
      if (state.runDir !== msg.run.dir) {
        state.runDir = msg.run.dir; // what the host restores the panel from after a reload
        save();
      }
      renderHeader(header, msg.run, config);
      redraw();
      generations.setConfig(config);
    } else if (msg.type === 'evalFiles' || msg.type === 'evalReport') {
      generations.receive(msg);
    } else if (msg.type === 'events' && started) {
      if (msg.run) {
        run = msg.run;
        renderHeader(header, msg.run, config);
      }
      // Train events alone change only the loss chart (and the header): the cards over
      // evals, with thousands of dots on a long run, are left as they are.
      const languages = model.languages.join();
      if (!model.add(msg.events)) return;
      if (msg.events.some((e) => e.kind === 'eval') || model.languages.join() !== languages) redraw();
      else loss.update(model, config?.lowResource ?? []);
    }
  });
}

function renderHeader(header: HTMLElement, run: RunInfo, config: PanelConfig | null): void {
  const title = h('h2', run.name);
  title.append(' ', h('span', run.state, `state state-${run.state}`));
  const facts = [
    run.totalSteps ? `step ${run.step} / ${run.totalSteps}` : `step ${run.step}`,
    run.loss === undefined ? '' : `loss ${run.loss.toFixed(4)}`,
    describeModel(run) ?? '',
    config ? `pivot ${config.pivot}` : '',
    config?.lowResource.length ? `low-resource ${config.lowResource.join(', ')}` : '',
  ].filter(Boolean);
  header.replaceChildren(title, h('p', facts.join(' · '), 'muted'));
}
