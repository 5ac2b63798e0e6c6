// The accuracy card: per-language eval accuracy over eval steps (a line per language, low-
// resource dashed, a dot per eval) next to bars at the selected step beside the base
// model (step 0). The step follows the newest eval until the user picks one, with the
// select or by clicking the line chart; hovering a dot or a bar reads out the counts behind
// the figure (items scored, items skipped and why).
import { select, setOptions, setValue } from '../controls';
import { h } from '../dom';
import { AccuracyBars } from './accuracyBars';
import { accuracySeries, accuracySteps, countsText, pct, selectedIndex } from './evalSeries';
import { cardHead, type Exporter } from './exportButtons';
import { Legend } from './legend';
import { LineChart } from './lineChart';
import type { UiState } from './panelState';
import { seriesColour } from './scales';
import type { MetricsModel } from './series';

export class AccuracyCard {
  readonly el = h('section', undefined, 'card accuracy');
  private readonly chart = new LineChart({
    width: 480,
    height: 220,
    label: 'Accuracy per language over eval steps',
    yFormat: (v) => pct(v),
    tableSummary: 'Table of the lines',
  });
  private readonly legend: Legend;
  private readonly stepSelect = select('Eval step of the bars', [], 'accuracy-step');
  private readonly bars = new AccuracyBars(this.chart.readout);
  private model?: MetricsModel;
  private lowResource: readonly string[] = [];
  private steps: number[] = [];

  constructor(
    private readonly state: UiState,
    private readonly saveState: () => void,
    exporter: Exporter,
  ) {
    this.legend = new Legend(state, () => this.changed());
    this.chart.onPick = (step) => this.pick(step);
    this.stepSelect.addEventListener('change', () => {
      const v = this.stepSelect.value;
      this.pick(v === 'latest' ? null : Number(v));
    });
    const charts = () => [this.chart.svg, ...(this.bars.chart ? [this.bars.chart] : [])];
    const head = cardHead(h('h3', 'Accuracy'), exporter, 'accuracy', charts);
    const lines = h('div', undefined, 'accuracy-lines');
    lines.append(this.chart.svg, this.legend.el, this.chart.table.el);
    const stepLabel = h('label', 'Bars at ');
    stepLabel.append(this.stepSelect);
    const bars = h('div', undefined, 'accuracy-at-step');
    bars.append(stepLabel, this.bars.el, this.bars.table.el);
    const body = h('div', undefined, 'accuracy-body');
    body.append(lines, bars);
    this.el.append(head, body, this.chart.readout);
  }

  update(model: MetricsModel, lowResource: readonly string[]): void {
    this.model = model;
    this.lowResource = lowResource;
    this.draw();
  }

  private pick(step: number | null): void {
    this.state.accuracyStep = step === null || step === this.steps.at(-1) ? null : step;
    this.changed();
  }

  private changed(): void {
    this.saveState();
    this.draw();
  }

  private draw(): void {
    const model = this.model;
    if (!model) return;
    const evals = model.evals;
    const low = new Set(this.lowResource);
    const langs = model.languages;
    const entries = accuracySeries(evals).map((s) => ({
      key: s.key,
      label: s.label,
      colour: seriesColour(langs.indexOf(s.lang!)),
      dashed: low.has(s.lang!),
      low: low.has(s.lang!),
      s,
    }));
    this.legend.sync(entries);
    const lines = entries
      .filter((e) => this.legend.shows(e.key))
      .map((e) => ({
        ...e,
        points: e.s.points,
        markers: true,
        detail: (k: number) => {
          const at = model.evalAt(e.s.points[k].step);
          return at ? countsText(at, e.s.lang!) : '';
        },
      }));
    this.steps = accuracySteps(evals);
    const i = selectedIndex(this.steps, this.state.accuracyStep);
    const step = this.steps[i];
    this.syncSelect();
    // Marked only when picked: following the newest, the select says which step it is.
    this.chart.draw({ lines, y: [0, 1], mark: i < this.steps.length - 1 ? step : undefined });
    const base = model.evalAt(0);
    this.bars.update(
      step === undefined ? undefined : model.evalAt(step),
      base?.accuracy ? base : undefined,
      this.lowResource,
    );
  }

  /** Options: the newest eval (followed as evals arrive), then every eval step. */
  private syncSelect(): void {
    const last = this.steps.at(-1);
    const options: [string, string][] = [
      ['latest', last === undefined ? 'newest eval' : `newest (step ${last})`],
      ...this.steps.map((s): [string, string] => [String(s), `step ${s}`]),
    ];
    const sig = JSON.stringify(options);
    const pinned = this.state.accuracyStep;
    const value = pinned !== null && this.steps.includes(pinned) ? String(pinned) : 'latest';
    if (this.stepSelect.dataset.options !== sig) {
      this.stepSelect.dataset.options = sig;
      setOptions(this.stepSelect, options, value);
    } else setValue(this.stepSelect, value);
    this.stepSelect.disabled = this.steps.length < 2;
  }
}
