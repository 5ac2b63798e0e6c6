// A group's curves for the Compare Runs panel: training loss, training CE (mean over
// languages) and eval accuracy over steps, each as mean ± sample std over the group's
// seeds at every step. Long runs are cut into at most MAX_POINTS bins of consecutive
// steps: each run is averaged within a bin first, then the bin's mean ± std is taken over
// runs, so the spread stays a spread between seeds and not within a bin.
import type { CurvePoint, GroupCurves } from '../../protocol/compareReport';
import type { EvalEvent, TrainEvent } from '../../protocol/metrics';
import type { RunContents } from '../../protocol/runFolder';

export const MAX_POINTS = 400;

/** step -> value for one run; a step written twice (resumed past its checkpoint) keeps the last. */
type Track = Map<number, number>;

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function sampleStd(xs: number[], m: number): number {
  return xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
}

/** Mean ± std over runs at each step (or bin of steps), for runs that reached it. */
export function curve(tracks: Track[], maxPoints = MAX_POINTS): CurvePoint[] {
  const steps = [...new Set(tracks.flatMap((t) => [...t.keys()]))].sort((a, b) => a - b);
  if (!steps.length) return [];
  const width = Math.ceil(steps.length / maxPoints);
  const out: CurvePoint[] = [];
  for (let i = 0; i < steps.length; i += width) {
    const bin = steps.slice(i, i + width);
    const perRun = tracks.flatMap((t) => {
      const vs = bin.flatMap((s) => (t.has(s) ? [t.get(s)!] : []));
      return vs.length ? [mean(vs)] : [];
    });
    const m = mean(perRun);
    // A bin is named by its last step: the point says "by this step".
    out.push({ step: bin[bin.length - 1], mean: m, std: sampleStd(perRun, m), n: perRun.length });
  }
  return out;
}

function track<E>(events: E[], value: (e: E) => [number, number] | undefined): Track {
  const t: Track = new Map();
  for (const e of events) {
    const v = value(e);
    if (v && Number.isFinite(v[1])) t.set(v[0], v[1]);
  }
  return t;
}

function meanOf(r: Record<string, number> | undefined): number | undefined {
  const vs = Object.values(r ?? {});
  return vs.length ? mean(vs) : undefined;
}

export function groupCurves(runs: RunContents[], maxPoints = MAX_POINTS): GroupCurves {
  const trains = runs.map((r) => r.events.filter((e): e is TrainEvent => e.kind === 'train'));
  const evals = runs.map((r) => r.events.filter((e): e is EvalEvent => e.kind === 'eval'));
  const ce = (e: TrainEvent): [number, number] | undefined => {
    const m = meanOf(e.ce);
    return m === undefined ? undefined : [e.step, m];
  };
  const acc = (e: EvalEvent): [number, number] | undefined => {
    const m = e.accuracyMean ?? meanOf(e.accuracy);
    return m === undefined ? undefined : [e.step, m];
  };
  return {
    loss: curve(
      trains.map((es) => track(es, (e) => [e.step, e.loss])),
      maxPoints,
    ),
    ce: curve(
      trains.map((es) => track(es, ce)),
      maxPoints,
    ),
    accuracy: curve(
      evals.map((es) => track(es, acc)),
      maxPoints,
    ),
  };
}
