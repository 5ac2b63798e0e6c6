// The runs the UI knows about: every folder under the runs directories, re-read on a
// short timer. Polling (not file watchers) because it also catches runs started from a
// terminal, folders on any file system, and processes that die without writing anything;
// a poll is a readdir and a few small JSON reads per run (protocol/runFolder reads them).
// vscode-free, so it is unit-testable.
import * as path from 'node:path';
import { listRuns, type ReadOptions } from '../protocol/runFolder';
import { isActive, type RunInfo } from '../protocol/runInfo';
import { Disposable, Emitter, toDisposable } from './disposable';

export class RunStore extends Disposable {
  private runs = new Map<string, RunInfo>();
  private readonly changed = this.register(new Emitter<RunInfo[]>());
  /** Fires with the whole list when anything shown changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly runsDirs: () => string[],
    intervalMs = 1000,
    private readonly readOptions: ReadOptions = {},
  ) {
    super();
    const timer = setInterval(() => this.refresh(), intervalMs);
    this.register(toDisposable(() => clearInterval(timer)));
  }

  get all(): RunInfo[] {
    return [...this.runs.values()];
  }

  get(dir: string): RunInfo | undefined {
    return this.runs.get(path.resolve(dir));
  }

  /** The running run to show in the status bar: the most recently started active one. */
  get active(): RunInfo | undefined {
    return this.all.find((r) => isActive(r.state));
  }

  refresh(): RunInfo[] {
    if (this.isDisposed) return [];
    const next = new Map<string, RunInfo>();
    for (const runsDir of this.runsDirs()) for (const r of listRuns(runsDir, this.readOptions)) next.set(r.dir, r);
    const before = JSON.stringify(this.all);
    this.runs = next;
    const list = this.all;
    if (JSON.stringify(list) !== before) this.changed.fire(list);
    return list;
  }
}
