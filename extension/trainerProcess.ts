// A trainer process the extension spawned. It runs detached in its own process group with
// stdout/stderr going to a file (not pipes), so it survives a window reload: a pipe to a
// dead extension host would make the trainer's next progress line fail with EPIPE.
// Stopping is graceful first (one SIGTERM: the trainer checkpoints and exits 0 — a second
// signal would make it quit without a checkpoint), then after a grace period the whole
// process group is killed. Disposing kills the tree; `detach()` lets it outlive us.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { isProcessAlive } from '../protocol/runFolder';
import { Disposable } from './disposable';

export interface SpawnSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd: string;
  /** Receives stdout and stderr (appended). */
  consoleFile: string;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type StopOutcome = 'graceful' | 'killed' | 'not-running';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signal a process group, falling back to the single process (it may not lead a group). */
export function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
    return;
  } catch {
    // Not a group leader (e.g. started from a terminal through a wrapper): signal it alone.
  }
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Stop any trainer by pid (ours, or one started from a terminal or an earlier window):
 * SIGTERM once, wait up to `graceMs` for it to exit, then SIGKILL its group.
 */
export async function stopPid(
  pid: number,
  graceMs: number,
  isAlive: (pid: number) => boolean = isProcessAlive,
): Promise<StopOutcome> {
  if (!isAlive(pid)) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(100);
    if (!isAlive(pid)) return 'graceful';
  }
  killTree(pid, 'SIGKILL');
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
  return 'killed';
}

export class TrainerProcess extends Disposable {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  private running = true;
  private child: ChildProcess;

  private constructor(child: ChildProcess) {
    super();
    this.child = child;
    this.pid = child.pid!;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.running = false;
        resolve({ code, signal });
      });
    });
  }

  /** Spawn detached; rejects when the executable cannot be started at all. */
  static async start(spec: SpawnSpec): Promise<TrainerProcess> {
    const fd = fs.openSync(spec.consoleFile, 'a');
    try {
      const child = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: { ...process.env, ...spec.env },
        detached: true, // own process group: kill(-pid) reaches the whole tree
        stdio: ['ignore', fd, fd],
        windowsHide: true,
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      return new TrainerProcess(child);
    } finally {
      fs.closeSync(fd); // the child has its own copy
    }
  }

  get isRunning(): boolean {
    return this.running;
  }

  async stop(graceMs: number): Promise<StopOutcome> {
    if (!this.running) return 'not-running';
    const outcome = await stopPid(this.pid, graceMs, () => this.running);
    await this.exited;
    return outcome;
  }

  /** Let the trainer outlive this extension host (window reload or close). */
  detach(): void {
    this.child.unref();
    super.dispose();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (this.running) killTree(this.pid, 'SIGKILL');
    super.dispose();
  }
}
