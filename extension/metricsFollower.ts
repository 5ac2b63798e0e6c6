// Follows one run for a Metrics panel: a full snapshot first (every event so far, the run
// and the config's pivot and low-resource languages), then on each poll only the events
// appended since (MetricsReader reads just the new bytes). vscode-free, so it is
// unit-testable; the panel owns it and decides when to poll.
import type { MetricEvent } from '../protocol/metrics';
import { MetricsReader, readRunConfig, runFile } from '../protocol/runFolder';
import type { RunInfo } from '../protocol/runInfo';
import { HostToWebview, type PanelConfig } from '../protocol/webviewMessages';
import { Disposable } from './disposable';

export type Post = (msg: HostToWebview) => void;

export class MetricsFollower extends Disposable {
  private reader: MetricsReader;
  private lastRun = '';
  private snapshotSent = false;

  constructor(
    readonly runDir: string,
    /** The run as the store sees it now (undefined once its folder is gone). */
    private readonly runInfo: () => RunInfo | undefined,
    private readonly post: Post,
  ) {
    super();
    this.reader = new MetricsReader(runFile(runDir, 'metrics'));
  }

  /** Send everything so far (again, e.g. after the webview reloaded). */
  snapshot(): void {
    if (this.isDisposed) return;
    const run = this.runInfo();
    if (!run) return;
    // A fresh reader: the page that asks for a snapshot has nothing, so start at byte 0.
    this.reader = new MetricsReader(runFile(this.runDir, 'metrics'));
    const events = this.reader.poll();
    this.lastRun = JSON.stringify(run);
    this.snapshotSent = true;
    this.send({ type: 'snapshot', run, config: readPanelConfig(this.runDir), events });
  }

  /** Send new events and a changed run status, if any; nothing when neither changed. */
  poll(): void {
    if (this.isDisposed || !this.snapshotSent) return;
    const events: MetricEvent[] = this.reader.poll();
    const run = this.runInfo();
    const runJson = JSON.stringify(run ?? null);
    const runChanged = run !== undefined && runJson !== this.lastRun;
    if (!events.length && !runChanged) return;
    this.lastRun = runJson;
    this.send({ type: 'events', events, ...(runChanged ? { run } : {}) });
  }

  private send(msg: HostToWebview): void {
    // Validated before posting too: a schema drift shows up here, in the host's log.
    this.post(HostToWebview.parse(msg));
  }
}

/** The part of config.json the panel draws with; null when the file is missing or invalid. */
export function readPanelConfig(runDir: string): PanelConfig | null {
  try {
    const config = readRunConfig(runDir);
    return { pivot: config.pivot, lowResource: config.lowResource };
  } catch {
    return null;
  }
}
