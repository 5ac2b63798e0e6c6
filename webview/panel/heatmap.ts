// The alignment card, in tabs: the language x language similarity of final-layer
// representations, the same for soft-token summaries, and per layer the cosine of each
// language to the pivot (layer on x). A step slider goes back over the eval steps that
// carry the tab's figures; it follows the newest until the user moves it off the end.
// The tabs are vscode-tabs (arrow keys move between them, Enter picks one); the slider and
// the one drawn body move together into the shown tab's panel.
import type { VscodeTabPanel } from '@vscode-elements/elements/dist/vscode-tab-panel/vscode-tab-panel.js';
import '../controls';
import { h } from '../dom';
import { ChartTable } from './chartTable';
import { ALIGNMENT_VIEWS, type AlignmentView, layerSeries, selectedIndex, stepsWith } from './evalSeries';
import { cardHead, type Exporter } from './exportButtons';
import { Legend } from './legend';
import { LineChart } from './lineChart';
import { matrixSvg, matrixTable } from './matrixView';
import type { UiState } from './panelState';
import { seriesColour } from './scales';
import type { MetricsModel } from './series';

const TABS: Record<AlignmentView, { tab: string; what: string }> = {
  similarity: { tab: 'Final layer', what: 'Similarity between languages (final layer)' },
  softTokenSimilarity: { tab: 'Soft tokens', what: 'Similarity of soft-token summaries' },
  layers: { tab: 'Per layer', what: 'Cosine to the pivot per layer' },
};

export class Heatmap {
  readonly el = h('section', undefined, 'card heatmap');
  private readonly slider = h('input', undefined, undefined, { type: 'range', min: '0', max: '0', step: '1' });
  private readonly stepLabel = h('span', '', 'muted');
  private readonly tabs = h('vscode-tabs', undefined, 'alignment-tabs');
  private readonly panels = new Map<AlignmentView, VscodeTabPanel>();
  private readonly body = h('div', undefined, 'alignment-body');
  /** The slider and the body: what the shown tab's panel holds. */
  private readonly content = h('div');
  private readonly layers = new LineChart({ width: 480, height: 240, label: '', xLabel: 'layer', integerX: true });
  /** The matrix's text alternative (the per-layer chart has its own). */
  private readonly matrixTable = new ChartTable('Table', '');
  private readonly legend: Legend;
  private shown?: SVGSVGElement;
  private model?: MetricsModel;
  private lowResource = new Set<string>();
  private steps: number[] = [];

  constructor(
    private readonly state: UiState,
    private readonly saveState: () => void,
    exporter: Exporter,
  ) {
    this.legend = new Legend(state, () => this.changed());
    // Headers first, then panels: the component pairs the i-th of each.
    for (const view of ALIGNMENT_VIEWS)
      this.tabs.append(h('vscode-tab-header', TABS[view].tab, 'tab', { slot: 'header', 'data-view': view }));
    for (const view of ALIGNMENT_VIEWS) {
      const panel = h('vscode-tab-panel', undefined, undefined, { 'data-view': view });
      this.panels.set(view, panel);
      this.tabs.append(panel);
    }
    this.tabs.addEventListener('vsc-tabs-select', (e) => this.select(ALIGNMENT_VIEWS[e.detail.selectedIndex]));
    const label = h('label', 'Eval step ', 'alignment-step');
    label.append(this.slider, ' ', this.stepLabel);
    this.slider.setAttribute('aria-label', 'Eval step of the alignment view');
    this.slider.addEventListener('input', () => {
      const i = Number(this.slider.value);
      // At the right end the slider follows new evals; anywhere else it stays put.
      this.state.heatmapStep = i === this.steps.length - 1 ? null : this.steps[i];
      this.changed();
    });
    const head = cardHead(h('h3', 'Alignment'), exporter, 'alignment', () => (this.shown ? [this.shown] : []));
    this.content.append(label, this.body);
    this.el.append(head, this.tabs);
  }

  update(model: MetricsModel, lowResource: readonly string[]): void {
    this.model = model;
    this.lowResource = new Set(lowResource);
    this.draw();
  }

  private select(view: AlignmentView): void {
    this.state.alignmentView = view;
    this.changed();
  }

  private changed(): void {
    this.saveState();
    this.draw();
  }

  private draw(): void {
    const model = this.model;
    if (!model) return;
    const view = this.state.alignmentView;
    this.tabs.selectedIndex = ALIGNMENT_VIEWS.indexOf(view);
    const panel = this.panels.get(view)!;
    if (this.content.parentElement !== panel) panel.append(this.content);
    this.steps = stepsWith(model.evals, view);
    this.slider.max = String(Math.max(0, this.steps.length - 1));
    this.slider.disabled = this.steps.length < 2;
    const i = selectedIndex(this.steps, this.state.heatmapStep);
    this.slider.value = String(Math.max(0, i));
    const e = i >= 0 ? model.evalAt(this.steps[i]) : undefined;
    this.stepLabel.textContent = e ? `${e.step} (${i + 1} of ${this.steps.length})` : '';
    const what = `${TABS[view].what}${e ? ` at step ${e.step}` : ''}`;
    if (!e) {
      this.shown = undefined;
      this.body.replaceChildren(
        h('p', `${TABS[view].what}: none yet (it comes with evaluations that measure it).`, 'muted'),
      );
    } else if (view === 'layers') {
      this.drawLayers(model, e.layerSimilarity ? layerSeries(e) : [], what);
    } else {
      const m = e[view]!;
      this.shown = matrixSvg(m, what);
      this.matrixTable.set(() => matrixTable(m), what);
      this.body.replaceChildren(this.shown, this.matrixTable.el);
    }
  }

  private drawLayers(model: MetricsModel, series: ReturnType<typeof layerSeries>, what: string): void {
    const langs = model.languages;
    const entries = series.map((s) => {
      const low = this.lowResource.has(s.lang!);
      return { key: s.key, label: s.label, colour: seriesColour(langs.indexOf(s.lang!)), dashed: low, low, s };
    });
    this.legend.sync(entries);
    const lines = entries
      .filter((e) => this.legend.shows(e.key))
      .map((e) => ({ ...e, points: e.s.points, markers: true }));
    const values = lines.flatMap((l) => l.points.map((p) => p.value));
    this.layers.setLabel(what);
    this.layers.draw({ lines, y: [Math.min(0, ...values), 1] });
    this.shown = this.layers.svg;
    if (this.body.firstChild !== this.layers.svg) {
      this.body.replaceChildren(this.layers.svg, this.legend.el, this.layers.readout, this.layers.table.el);
    }
  }
}
