// The panel's data model, built from metric events: training loss and per-language CE as
// step series, and the eval events by step. Pure (no DOM), so it is unit-tested; the
// charts read it. Events are appended as they arrive; an eval at a step already seen
// (a resumed run re-evaluating) replaces the earlier one.
import type { EvalEvent, MetricEvent } from '../../protocol/metrics';

export interface Point {
  step: number;
  value: number;
}

export interface Series {
  /** Stable id for the legend and the DOM: `loss` or `ce:<lang>`. */
  key: string;
  label: string;
  /** The language of a per-language series. */
  lang?: string;
  points: Point[];
}

export class MetricsModel {
  readonly loss: Series = { key: 'loss', label: 'loss', points: [] };
  private readonly ce = new Map<string, Series>();
  private readonly evalsByStep = new Map<number, EvalEvent>();

  /** Add events in file order. Returns whether anything drawn changed. */
  add(events: readonly MetricEvent[]): boolean {
    let changed = false;
    for (const e of events) {
      if (e.kind === 'train') {
        pushPoint(this.loss.points, { step: e.step, value: e.loss });
        for (const [lang, value] of Object.entries(e.ce)) {
          let s = this.ce.get(lang);
          if (!s) {
            s = { key: `ce:${lang}`, label: `CE ${lang}`, lang, points: [] };
            this.ce.set(lang, s);
          }
          pushPoint(s.points, { step: e.step, value });
        }
        changed = true;
      } else if (e.kind === 'eval') {
        this.evalsByStep.set(e.step, e);
        changed = true;
      }
    }
    return changed;
  }

  /** Loss first, then CE per language in alphabetical order (stable legend order). */
  get series(): Series[] {
    return [this.loss, ...[...this.ce.values()].sort((a, b) => a.label.localeCompare(b.label))];
  }

  /** Eval events in step order. */
  get evals(): EvalEvent[] {
    return [...this.evalsByStep.values()].sort((a, b) => a.step - b.step);
  }

  /** Eval steps that carry a similarity matrix, ascending. */
  get similaritySteps(): number[] {
    return this.evals.filter((e) => e.similarity).map((e) => e.step);
  }

  evalAt(step: number): EvalEvent | undefined {
    return this.evalsByStep.get(step);
  }

  /** The latest eval with accuracy, and the base model's (step 0) if there is one. */
  accuracy(): { latest?: EvalEvent; base?: EvalEvent } {
    const withAcc = this.evals.filter((e) => e.accuracy);
    const base = withAcc.find((e) => e.step === 0);
    const latest = withAcc.at(-1);
    return { latest: latest && latest !== base ? latest : undefined, base };
  }
}

/**
 * Append a point, keeping steps ascending: a resumed run repeats steps after its last
 * checkpoint, and the later value of a step replaces the earlier (as the run continued).
 */
function pushPoint(points: Point[], p: Point): void {
  while (points.length && points[points.length - 1].step >= p.step) points.pop();
  points.push(p);
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
