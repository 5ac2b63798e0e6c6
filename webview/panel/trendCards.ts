// Small charts over eval steps: separability of the languages' representations (silhouette
// and linear-probe language-ID accuracy, with the probe's chance level; lower = more
// language-agnostic) and cross-lingual answer consistency per language (share of items
// answered as in the pivot). One generic card, two builders.
import type { EvalEvent } from '../../protocol/metrics';
import { h } from '../dom';
import { consistencySeries, pct, separabilitySeries } from './evalSeries';
import { cardHead, type Exporter } from './exportButtons';
import { Legend, type LegendEntry } from './legend';
import { type Frame, type Line, LineChart } from './lineChart';
import type { UiState } from './panelState';
import { seriesColour } from './scales';
import type { MetricsModel, Series } from './series';

interface Trend {
  entries: (LegendEntry & { s: Series })[];
  refs?: Frame['refs'];
  /** Shown when there is nothing to draw. */
  none: string;
}

type Build = (model: MetricsModel, lowResource: Set<string>) => Trend;

interface TrendOptions {
  cls: string;
  title: string;
  build: Build;
  yFormat: (v: number) => string;
}

export class TrendCard {
  readonly el: HTMLElement;
  private readonly chart: LineChart;
  private readonly legend: Legend;
  private readonly note = h('p', '', 'muted');
  private model?: MetricsModel;
  private lowResource = new Set<string>();

  private readonly build: Build;

  constructor(
    { cls, title, build, yFormat }: TrendOptions,
    state: UiState,
    private readonly saveState: () => void,
    exporter: Exporter,
  ) {
    this.build = build;
    this.el = h('section', undefined, `card trend ${cls}`);
    this.chart = new LineChart({ width: 360, height: 180, label: `${title} over eval steps`, yFormat });
    this.legend = new Legend(state, () => {
      this.saveState();
      this.draw();
    });
    const head = cardHead(h('h3', title), exporter, cls, () => [this.chart.svg]);
    this.el.append(head, this.chart.svg, this.note, this.legend.el, this.chart.readout, this.chart.table.el);
  }

  update(model: MetricsModel, lowResource: readonly string[]): void {
    this.model = model;
    this.lowResource = new Set(lowResource);
    this.draw();
  }

  private draw(): void {
    if (!this.model) return;
    const t = this.build(this.model, this.lowResource);
    this.legend.sync(t.entries);
    const lines: Line[] = t.entries
      .filter((e) => this.legend.shows(e.key))
      .map((e) => ({ ...e, points: e.s.points, markers: true }));
    const values = lines.flatMap((l) => l.points.map((p) => p.value));
    this.chart.draw({ lines, y: [Math.min(0, ...values), 1], refs: t.refs });
    this.note.textContent = t.entries.length ? '' : t.none;
    this.note.classList.toggle('hidden', t.entries.length > 0);
  }
}

export function separabilityCard(state: UiState, save: () => void, exporter: Exporter): TrendCard {
  const opts = {
    cls: 'separability',
    title: 'Separability',
    build: separability,
    yFormat: (v: number) => v.toFixed(2),
  };
  return new TrendCard(opts, state, save, exporter);
}

export function consistencyCard(state: UiState, save: () => void, exporter: Exporter): TrendCard {
  const opts = {
    cls: 'consistency',
    title: 'Consistency with the pivot',
    build: consistency,
    yFormat: (v: number) => pct(v),
  };
  return new TrendCard(opts, state, save, exporter);
}

const separability: Build = (model) => {
  const { series, chance } = separabilitySeries(model.evals);
  // Fixed colours from the end of the palette: these are not languages.
  const colours = [seriesColour(4), seriesColour(5)];
  return {
    entries: series.map((s, i) => ({ key: s.key, label: s.label, colour: colours[i], s })),
    refs: chance === undefined ? [] : [{ y: chance, label: `chance ${chance.toFixed(2)}` }],
    none: 'No separability yet (it comes with each evaluation).',
  };
};

const consistency: Build = (model, low) => {
  const langs = model.languages;
  const evals: EvalEvent[] = model.evals;
  return {
    entries: consistencySeries(evals).map((s) => ({
      key: s.key,
      label: s.label,
      colour: seriesColour(langs.indexOf(s.lang!)),
      dashed: low.has(s.lang!),
      low: low.has(s.lang!),
      s,
    })),
    none: 'No consistency yet (it comes with each evaluation).',
  };
};
