// The sidebar Metrics view's glance at one run: its training loss as a sparkline and the
// latest evaluation's headline figures (mean and low-resource accuracy, the similarity
// matrix). Follows metrics.jsonl like the panel (MetricsReader reads only the new bytes on
// each poll) but keeps only what the glance draws, and hands the view a message of bounded
// size: the loss thinned to GLANCE_POINTS bucket means, however long the run.
// vscode-free, so it is unit-tested.
import type { EvalEvent } from '../protocol/metrics';
import { MetricsReader, runFile } from '../protocol/runFolder';
import type { RunGlance } from '../protocol/webviewMessages';

/** At most this many loss points reach the sparkline (it is ~200 px wide). */
export const GLANCE_POINTS = 150;

export class RunGlanceFollower {
  private readonly reader: MetricsReader;
  private readonly steps: number[] = [];
  private readonly losses: number[] = [];
  private lastEval?: EvalEvent;

  constructor(readonly runDir: string) {
    this.reader = new MetricsReader(runFile(runDir, 'metrics'));
  }

  /** Read the events appended since the last poll; whether the glance changed. */
  poll(): boolean {
    const events = this.reader.poll();
    for (const e of events) {
      if (e.kind === 'train') {
        // A resumed run repeats the steps after its checkpoint: the later value replaces.
        while (this.steps.length && this.steps[this.steps.length - 1] >= e.step) {
          this.steps.pop();
          this.losses.pop();
        }
        this.steps.push(e.step);
        this.losses.push(e.loss);
      } else if (e.kind === 'eval' && (e.accuracy || e.similarity)) {
        this.lastEval = e;
      }
    }
    return events.length > 0;
  }

  /** The glance now; undefined while the run has no events (nothing to draw). */
  glance(): RunGlance | undefined {
    if (!this.steps.length && !this.lastEval) return undefined;
    const e = this.lastEval;
    return {
      loss: thin(this.steps, this.losses, GLANCE_POINTS),
      lastEval: e && {
        step: e.step,
        accuracyMean: e.accuracyMean,
        accuracyLowResource: e.accuracyLowResource,
        similarity: e.similarity,
      },
    };
  }
}

/**
 * At most `max` points: unchanged when there are fewer, else consecutive buckets of equal
 * count, each drawn as its mean step and mean value (non-finite losses left out).
 */
export function thin(steps: readonly number[], values: readonly number[], max: number): RunGlance['loss'] {
  const n = steps.length;
  const out: RunGlance['loss'] = [];
  if (n <= max) {
    for (let i = 0; i < n; i++) if (Number.isFinite(values[i])) out.push({ step: steps[i], value: values[i] });
    return out;
  }
  for (let b = 0; b < max; b++) {
    const lo = Math.floor((b * n) / max);
    const hi = Math.floor(((b + 1) * n) / max);
    let s = 0;
    let v = 0;
    let k = 0;
    for (let i = lo; i < hi; i++) {
      if (!Number.isFinite(values[i])) continue;
      s += steps[i];
      v += values[i];
      k++;
    }
    if (k) out.push({ step: s / k, value: v / k });
  }
  return out;
}
