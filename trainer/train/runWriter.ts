// The run folder is the only channel from the trainer to any UI (DESIGN §2):
//   config.json    the resolved run config
//   status.json    latest state, rewritten atomically (temp file + rename)
//   metrics.jsonl  append-only events, one complete line per write
//   trainer.log    human-readable log
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStatus, type MetricEvent, type RunState } from '../../protocol/metrics';
import type { RunConfig } from '../../protocol/runConfig';

/** Write a file so readers see either the old or the new content, never a partial one. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

export class RunWriter {
  readonly runId: string;
  private status: RunStatus;
  private readonly metricsFd: number;
  private readonly logFd: number;

  constructor(readonly dir: string, config: RunConfig, totalSteps: number, resumed: boolean) {
    fs.mkdirSync(dir, { recursive: true });
    this.runId = path.basename(dir);
    writeFileAtomic(path.join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    // 'a': appends survive a resume; each write is one whole line.
    this.metricsFd = fs.openSync(path.join(dir, 'metrics.jsonl'), 'a');
    this.logFd = fs.openSync(path.join(dir, 'trainer.log'), 'a');
    const now = new Date().toISOString();
    const previous = resumed ? readStatus(dir) : null;
    this.status = {
      runId: this.runId, state: 'starting', pid: process.pid, step: previous?.step ?? 0, totalSteps,
      startedAt: previous?.startedAt ?? now, updatedAt: now,
      ...(previous?.bestAccuracy !== undefined ? { bestAccuracy: previous.bestAccuracy } : {}),
    };
    this.writeStatus();
  }

  log(message: string): void {
    fs.writeSync(this.logFd, `[${new Date().toISOString()}] ${message}\n`);
  }

  event(e: MetricEvent): void {
    fs.writeSync(this.metricsFd, JSON.stringify(e) + '\n');
  }

  update(patch: Partial<RunStatus>): void {
    this.status = { ...this.status, ...patch, updatedAt: new Date().toISOString() };
    this.writeStatus();
  }

  /** Change state: recorded in status.json, metrics.jsonl and the log. */
  setState(state: RunState, message?: string): void {
    this.update({ state, message });
    this.event({ kind: 'status', time: new Date().toISOString(), state, step: this.status.step, ...(message ? { message } : {}) });
    this.log(`state: ${state}${message ? ` (${message})` : ''}`);
  }

  get current(): RunStatus {
    return this.status;
  }

  private writeStatus(): void {
    writeFileAtomic(path.join(this.dir, 'status.json'), JSON.stringify(this.status, null, 2) + '\n');
  }

  close(): void {
    fs.closeSync(this.metricsFd);
    fs.closeSync(this.logFd);
  }
}

/** The run's status.json, or null when it is missing or not a valid status (validated, never trusted). */
export function readStatus(dir: string): RunStatus | null {
  try {
    const r = RunStatus.safeParse(JSON.parse(fs.readFileSync(path.join(dir, 'status.json'), 'utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
