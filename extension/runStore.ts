// The runs the UI knows about: every folder under the runs directories, re-read on a
// short timer. Polling (not file watchers) because it also catches runs started from a
// terminal, folders on any file system, and processes that die without writing anything;
// a poll is a readdir and a few small JSON reads. Metric tails are kept per run so each
// poll reads only what was appended. vscode-free, so it is unit-testable.
import * as path from 'node:path';
import type { MetricEvent } from '../protocol/metrics';
import { Disposable, Emitter, toDisposable } from './disposable';
import { MetricsTail } from './metricsTail';
import { isActive, listRuns, type ReadOptions, type RunSummary } from './runFolder';

export interface RunView extends RunSummary {
  bestAccuracy?: number;
  /** The runs directory this run was found in. */
  runsDir: string;
}

export interface RunEvents {
  run: RunView;
  events: MetricEvent[];
}

export class RunStore extends Disposable {
  private runs = new Map<string, RunView>();
  private tails = new Map<string, MetricsTail>();
  private readonly changed = this.register(new Emitter<RunView[]>());
  private readonly metrics = this.register(new Emitter<RunEvents>());
  /** Fires with the whole list when anything shown changed. */
  readonly onDidChange = this.changed.event;
  /** Fires with new metric events of a run. */
  readonly onMetrics = this.metrics.event;

  constructor(private readonly runsDirs: () => string[], intervalMs = 1000, private readonly readOptions: ReadOptions = {}) {
    super();
    const timer = setInterval(() => this.refresh(), intervalMs);
    this.register(toDisposable(() => clearInterval(timer)));
  }

  get all(): RunView[] {
    return [...this.runs.values()];
  }

  get(dir: string): RunView | undefined {
    return this.runs.get(path.resolve(dir));
  }

  tail(dir: string): MetricsTail | undefined {
    return this.tails.get(path.resolve(dir));
  }

  /** The running run to show in the status bar: the most recently started active one. */
  get active(): RunView | undefined {
    return this.all.find((r) => isActive(r.state));
  }

  refresh(): RunView[] {
    if (this.isDisposed) return [];
    const next = new Map<string, RunView>();
    for (const runsDir of this.runsDirs()) {
      for (const r of listRuns(runsDir, this.readOptions)) {
        const key = path.resolve(r.dir);
        let tail = this.tails.get(key);
        if (!tail) this.tails.set(key, (tail = new MetricsTail(path.join(key, 'metrics.jsonl'))));
        const events = tail.poll();
        const view: RunView = { ...r, bestAccuracy: tail.bestAccuracy, runsDir };
        next.set(key, view);
        if (events.length) this.metrics.fire({ run: view, events });
      }
    }
    for (const key of this.tails.keys()) if (!next.has(key)) this.tails.delete(key);
    const before = JSON.stringify([...this.runs.values()]);
    this.runs = next;
    const list = this.all;
    if (JSON.stringify(list) !== before) this.changed.fire(list);
    return list;
  }
}
