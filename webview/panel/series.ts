// The panel's data model, built from metric events: training loss, CE and alignment
// distance per language as step series, the train events (for CSV export) and the eval
// events by step. Pure (no DOM), so it is unit-tested; the charts read it. Events are
// appended as they arrive; an eval at a step already seen (a resumed run re-evaluating)
// replaces the earlier one.
import type { EvalEvent, MetricEvent, TrainEvent } from '../../protocol/metrics';

export interface Point {
  /** The x value: a training step, or a layer in the per-layer view. */
  step: number;
  value: number;
}

export interface Series {
  /** Stable id for the legend and the DOM: `loss`, `ce:<lang>` or `align:<lang>`. */
  key: string;
  label: string;
  /** The language of a per-language series. */
  lang?: string;
  points: Point[];
}

/** What the loss chart draws: total and CE (the default), or one of them, or alignment. */
export const LOSS_METRICS = ['loss+ce', 'loss', 'ce', 'align'] as const;
export type LossMetric = (typeof LOSS_METRICS)[number];

export class MetricsModel {
  readonly loss: Series = { key: 'loss', label: 'loss', points: [] };
  private readonly ce = new Map<string, Series>();
  private readonly align = new Map<string, Series>();
  private readonly trains: TrainEvent[] = [];
  private readonly evalsByStep = new Map<number, EvalEvent>();

  /** Add events in file order. Returns whether anything drawn changed. */
  add(events: readonly MetricEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      if (e.kind === 'train') {
        truncateFrom(this.trains, e.step);
        this.trains.push(e);
        pushPoint(this.loss.points, { step: e.step, value: e.loss });
        for (const [lang, value] of Object.entries(e.ce)) perLanguage(this.ce, 'ce', 'CE', lang, e.step, value);
        for (const [lang, value] of Object.entries(e.align))
          perLanguage(this.align, 'align', 'align', lang, e.step, value);
        changed = true;
      } else if (e.kind === 'eval') {
        this.evalsByStep.set(e.step, e);
        changed = true;
      }
    }
    return changed;
  }

  /** The series of one loss metric, total first, then per language in alphabetical order. */
  seriesOf(metric: LossMetric): Series[] {
    const ce = sorted(this.ce);
    if (metric === 'loss') return [this.loss];
    if (metric === 'ce') return ce;
    if (metric === 'align') return sorted(this.align);
    return [this.loss, ...ce];
  }

  /** Every language seen, sorted: a language's index here picks its colour in every chart. */
  get languages(): string[] {
    const langs = new Set([...this.ce.keys(), ...this.align.keys()]);
    for (const e of this.evalsByStep.values()) for (const l of Object.keys(e.accuracy ?? {})) langs.add(l);
    return [...langs].sort();
  }

  /** Train events in step order (a resumed run's repeated steps replaced). */
  get trainEvents(): readonly TrainEvent[] {
    return this.trains;
  }

  /** Eval events in step order. */
  get evals(): EvalEvent[] {
    return [...this.evalsByStep.values()].sort((a, b) => a.step - b.step);
  }

  evalAt(step: number): EvalEvent | undefined {
    return this.evalsByStep.get(step);
  }
}

function sorted(m: Map<string, Series>): Series[] {
  return [...m.values()].sort((a, b) => a.label.localeCompare(b.label));
}

function perLanguage(m: Map<string, Series>, key: string, label: string, lang: string, step: number, value: number) {
  let s = m.get(lang);
  if (!s) {
    s = { key: `${key}:${lang}`, label: `${label} ${lang}`, lang, points: [] };
    m.set(lang, s);
  }
  pushPoint(s.points, { step, value });
}

/**
 * Append a point, keeping steps ascending: a resumed run repeats steps after its last
 * checkpoint, and the later value of a step replaces the earlier (as the run continued).
 */
function pushPoint(points: Point[], p: Point): void {
  truncateFrom(points, p.step);
  points.push(p);
}

function truncateFrom(items: { step: number }[], step: number): void {
  while (items.length && items[items.length - 1].step >= step) items.pop();
}

/**
 * TensorBoard-style smoothing: an exponential moving average with weight `w` in [0, 1)
 * on the previous value, debiased so the first points are not pulled toward zero.
 * w = 0 returns the values unchanged.
 */
export function ema(values: readonly number[], w: number): number[] {
  if (w <= 0) return [...values];
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    n++;
    acc = acc * w + (1 - w) * v;
    out.push(acc / (1 - w ** n));
  }
  return out;
}

/** What a cache keeps of a series it extended: the array, how many points it covers, the last of them. */
interface Seen {
  points: readonly Point[];
  n: number;
  last?: Point;
}

/**
 * Whether `points` is the array `seen` covered, only appended to since: series grow by
 * push and lose their tail by pop (a resumed run), so the same object still at the last
 * covered index means the covered part is unchanged.
 */
function grown(seen: Seen | undefined, points: readonly Point[]): boolean {
  return !!seen && seen.points === points && seen.n <= points.length && points[seen.n - 1] === seen.last;
}

function covered(seen: Seen, points: readonly Point[]): void {
  seen.n = points.length;
  seen.last = points[seen.n - 1];
}

/**
 * ema() of each series' values, kept per key and extended when the series only grew: a
 * live delta of 100 steps smooths 100 values, not the run's 100,000. A series whose tail
 * was replaced (a resumed run) or a new weight is smoothed afresh. Equal to ema() always.
 */
export class EmaCache {
  private readonly byKey = new Map<string, Seen & { w: number; values: number[]; acc: number; count: number }>();

  values(key: string, points: readonly Point[], w: number): number[] {
    let c = this.byKey.get(key);
    if (!c || c.w !== w || !grown(c, points)) {
      c = { w, points, n: 0, values: [], acc: 0, count: 0 };
      this.byKey.set(key, c);
    }
    // Locals in the loop: it runs over every point of a new series (100,000s).
    const out = c.values;
    let { acc, count } = c;
    for (let k = c.n; k < points.length; k++) {
      const v = points[k].value;
      if (w <= 0 || !Number.isFinite(v)) out.push(v);
      else {
        count++;
        acc = acc * w + (1 - w) * v;
        out.push(acc / (1 - w ** count));
      }
    }
    c.acc = acc;
    c.count = count;
    covered(c, points);
    return out;
  }
}

/** A series as two plain arrays, steps and values (what the charts search and draw). */
export interface Columns {
  steps: number[];
  values: number[];
}

/** Columns of each series by key, extended when the series only grew (as EmaCache). */
export class ColumnsCache {
  private readonly byKey = new Map<string, Seen & Columns>();

  of(key: string, points: readonly Point[]): Columns {
    let c = this.byKey.get(key);
    if (!c || !grown(c, points)) {
      c = { points, n: 0, steps: [], values: [] };
      this.byKey.set(key, c);
    }
    const { steps, values } = c;
    for (let k = c.n; k < points.length; k++) {
      steps.push(points[k].step);
      values.push(points[k].value);
    }
    covered(c, points);
    return c;
  }

  /** Forget keys not in `keys` (lines no longer drawn). */
  keep(keys: ReadonlySet<string>): void {
    for (const k of this.byKey.keys()) if (!keys.has(k)) this.byKey.delete(k);
  }
}

/** Index of the ascending `steps` value nearest `v` (binary search). */
export function nearest(steps: readonly number[], v: number): number {
  let lo = 0;
  let hi = steps.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] <= v) lo = mid;
    else hi = mid;
  }
  return Math.abs(steps[hi] - v) < Math.abs(steps[lo] - v) ? hi : lo;
}
