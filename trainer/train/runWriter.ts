// The trainer's side of the run folder (DESIGN §2), written through protocol/runFolder:
// config.json once, status.json rewritten atomically on every change, metrics.jsonl
// appended one whole line per event, trainer.log for people. It holds the folder's lock
// from construction to close(), so a second trainer (or a second resume) cannot interleave.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MetricEvent, RunState, RunStatus } from '../../protocol/metrics';
import type { RunConfig } from '../../protocol/runConfig';
import {
  acquireRunLock,
  MetricsLog,
  type RunLock,
  readStatus,
  removeStaleTemps,
  runFile,
  writeJsonAtomic,
  writeStatus,
} from '../../protocol/runFolder';

/** Bytes set aside for the last status writes (status.json is about 1 KB, rewritten via a temp file). */
const RESERVE_BYTES = 64 * 1024;

export class RunWriter {
  readonly runId: string;
  private status: RunStatus;
  private readonly lock: RunLock;
  private readonly metrics: MetricsLog;
  private readonly logFd: number;
  private closed = false;

  constructor(
    readonly dir: string,
    config: RunConfig,
    totalSteps: number,
    resumed: boolean,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.lock = acquireRunLock(dir);
    // Holding the lock, no live process writes here: what a killed writer left is garbage.
    removeStaleTemps(dir);
    this.runId = path.basename(dir);
    const previous = resumed ? (readStatus(dir).value ?? null) : null;
    writeJsonAtomic(runFile(dir, 'config'), config);
    // Appends survive a resume; each write is one whole line.
    this.metrics = new MetricsLog(dir);
    this.logFd = fs.openSync(runFile(dir, 'log'), 'a');
    const now = new Date().toISOString();
    this.status = {
      runId: this.runId,
      state: 'starting',
      pid: process.pid,
      step: previous?.step ?? 0,
      totalSteps,
      startedAt: previous?.startedAt ?? now,
      updatedAt: now,
      // A resume keeps what the run had reached until the new session reports its own.
      ...(previous?.bestAccuracy !== undefined ? { bestAccuracy: previous.bestAccuracy } : {}),
      ...(previous?.lastCheckpoint !== undefined ? { lastCheckpoint: previous.lastCheckpoint } : {}),
      ...(previous?.loss !== undefined ? { loss: previous.loss } : {}),
    };
    // Set space aside now, while there is some: status.json is small, and this is freed
    // when a write fails for lack of space, so the run can still say how it ended.
    fs.writeFileSync(runFile(dir, 'reserve'), Buffer.alloc(RESERVE_BYTES));
    this.writeStatus();
  }

  private writeStatus(): void {
    try {
      writeStatus(this.dir, this.status);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC' || !fs.existsSync(runFile(this.dir, 'reserve'))) throw e;
      fs.rmSync(runFile(this.dir, 'reserve'), { force: true });
      fs.rmSync(`${runFile(this.dir, 'status')}.tmp-${process.pid}`, { force: true });
      writeStatus(this.dir, this.status);
    }
  }

  log(message: string): void {
    fs.writeSync(this.logFd, `[${new Date().toISOString()}] ${message}\n`);
  }

  event(e: MetricEvent): void {
    this.metrics.append(e);
  }

  update(patch: Partial<RunStatus>): void {
    this.status = { ...this.status, ...patch, updatedAt: new Date().toISOString() };
    this.writeStatus();
  }

  /** Change state: recorded in status.json, metrics.jsonl and the log. */
  setState(state: RunState, message?: string): void {
    this.update({ state, message });
    this.event({
      kind: 'status',
      time: new Date().toISOString(),
      state,
      step: this.status.step,
      ...(message ? { message } : {}),
    });
    this.log(`state: ${state}${message ? ` (${message})` : ''}`);
  }

  get current(): RunStatus {
    return this.status;
  }

  /** Idempotent: a forced exit may close before the loop's own `finally` does. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.metrics.close();
    fs.closeSync(this.logFd);
    fs.rmSync(runFile(this.dir, 'reserve'), { force: true });
    this.lock.release();
  }
}
