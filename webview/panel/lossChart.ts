// The loss card: training loss, CE per language or alignment distance (1 − cos to the
// pivot) per language over steps. Controls (metric, EMA slider, log scale, legend toggles,
// zoom) are built once and keep their state across live deltas: an update only redraws.
// Zoom: drag across the plot to show a step range; double-click or Reset zoom shows all;
// with the chart focused, the keyboard zooms and pans the same way (chartKeys.ts).
// Low-resource languages are dashed and marked in the legend, so they read without colour.
import { button, checkbox, select } from '../controls';
import { h } from '../dom';
import { cardHead, type Exporter } from './exportButtons';
import { Legend } from './legend';
import { LineChart } from './lineChart';
import type { UiState } from './panelState';
import { seriesColour } from './scales';
import { EmaCache, LOSS_METRICS, type LossMetric, type MetricsModel } from './series';

const METRIC_LABELS: Record<LossMetric, string> = {
  'loss+ce': 'Total loss and CE per language',
  loss: 'Total loss',
  ce: 'CE per language (nats/token)',
  align: 'Alignment distance per language (1 − cos to the pivot)',
};

let nextHint = 0;

export class LossChart {
  readonly el = h('section', undefined, 'card loss-chart');
  private readonly chart = new LineChart({ width: 720, height: 300, label: 'Loss over steps', zoomable: true });
  private readonly legend: Legend;
  private readonly resetZoom = button('Reset zoom', 'reset-zoom', {}, true);
  private readonly note = h('p', '', 'muted hidden');
  private readonly smoothed = new EmaCache();
  private model?: MetricsModel;
  private lowResource = new Set<string>();

  constructor(
    private readonly state: UiState,
    private readonly saveState: () => void,
    exporter: Exporter,
  ) {
    const changed = () => this.changed();
    this.legend = new Legend(state, changed);
    const metric = select(
      'What the loss chart draws',
      LOSS_METRICS.map((m) => [m, METRIC_LABELS[m]]),
      'loss-metric',
      state.lossMetric,
    );
    metric.addEventListener('change', () => {
      state.lossMetric = metric.value as LossMetric;
      changed();
    });
    const smoothing = h('input', undefined, undefined, { type: 'range', min: '0', max: '0.99', step: '0.01' });
    smoothing.value = String(state.smoothing);
    const smoothingValue = h('span', state.smoothing.toFixed(2), 'muted');
    smoothing.addEventListener('input', () => {
      state.smoothing = Number(smoothing.value);
      smoothingValue.textContent = state.smoothing.toFixed(2);
      changed();
    });
    const log = checkbox('Log scale', 'log-scale');
    log.checked = state.log;
    log.addEventListener('change', () => {
      state.log = log.checked;
      changed();
    });
    this.resetZoom.addEventListener('click', () => this.zoom(null));
    this.chart.onBrush = (r) => this.zoom(r);
    this.chart.onReset = () => this.zoom(null);

    const controls = h('div', undefined, 'controls');
    const smoothLabel = h('label', 'Smoothing ');
    smoothLabel.append(smoothing, smoothingValue);
    controls.append(metric, smoothLabel, log, this.resetZoom);
    const head = cardHead(h('h3', 'Loss'), exporter, 'loss', () => [this.chart.svg]);
    const hint = h(
      'p',
      'Drag across the chart to zoom into steps; double-click to zoom out. Focused: + and − zoom, ← → pan, Escape shows every step.',
      'hint muted',
      { id: `loss-hint-${nextHint++}` },
    );
    this.chart.svg.setAttribute('aria-describedby', hint.id);
    this.el.append(
      head,
      controls,
      this.chart.svg,
      this.note,
      this.legend.el,
      this.chart.readout,
      hint,
      this.chart.table.el,
    );
  }

  update(model: MetricsModel, lowResource: readonly string[]): void {
    this.model = model;
    this.lowResource = new Set(lowResource);
    this.draw();
  }

  private zoom(range: [number, number] | null): void {
    this.state.zoom = range;
    this.changed();
  }

  private changed(): void {
    this.saveState();
    this.draw();
  }

  private draw(): void {
    const model = this.model;
    if (!model) return;
    const langs = model.languages;
    const entries = model.seriesOf(this.state.lossMetric).map((s) => {
      const low = s.lang !== undefined && this.lowResource.has(s.lang);
      const colour = s.lang === undefined ? undefined : seriesColour(langs.indexOf(s.lang));
      return { key: s.key, label: s.label, colour, dashed: low, low, s };
    });
    this.legend.sync(entries);
    const lines = entries
      .filter(({ key, s }) => this.legend.shows(key) && s.points.length > 0)
      .map((e) => ({
        ...e,
        points: e.s.points,
        values: this.smoothed.values(e.key, e.s.points, this.state.smoothing),
      }));
    this.chart.draw({ lines, x: this.state.zoom ?? undefined, log: this.state.log });
    this.resetZoom.disabled = this.state.zoom === null;
    const empty = entries.every((e) => !e.s.points.length);
    this.note.textContent = empty
      ? this.state.lossMetric === 'align'
        ? 'No alignment distance logged in this run.'
        : 'No training steps yet.'
      : '';
    this.note.classList.toggle('hidden', !empty);
  }
}
