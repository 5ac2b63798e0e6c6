// Reads one run folder (the trainer's contract, README "Run folder") into what the UI
// shows. Everything read from disk is validated with the protocol schemas: a half-written
// or foreign file becomes a `problem`, never an exception in the extension host.
// The state shown is derived, not copied: a status that says running/starting while its
// process is gone means the trainer died without writing a final status, so it is failed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { RunStatus, type RunState } from '../protocol/metrics';

/** What the extension writes next to the trainer's files when it launches one (launch.json). */
export const LaunchRecord = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  node: z.string(),
  args: z.array(z.string()),
});
export type LaunchRecord = z.infer<typeof LaunchRecord>;

export const LAUNCH_FILE = 'launch.json';
/** The trainer's stdout + stderr, redirected to a file so the trainer outlives a window reload. */
export const CONSOLE_FILE = 'console.log';

export interface RunSummary {
  id: string;
  dir: string;
  /** Run name: the run id without its timestamp. */
  name: string;
  state: RunState;
  message?: string;
  step: number;
  totalSteps: number;
  loss?: number;
  etaSec?: number;
  startedAt?: string;
  updatedAt?: string;
  pid?: number;
  backend?: string;
  device?: string;
  lastCheckpoint?: string;
  checkpoints: string[];
  /** Can be continued with `solar train --resume`. */
  resumable: boolean;
}

export interface ReadOptions {
  isAlive?: (pid: number) => boolean;
  now?: number;
  /** A folder with neither status nor launch record counts as starting for this long. */
  startGraceMs?: number;
}

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isActive(state: RunState): boolean {
  return state === 'starting' || state === 'running';
}

function readJson<T>(file: string, schema: z.ZodType<T>): { value?: T; problem?: string } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const r = schema.safeParse(JSON.parse(text));
    if (r.success) return { value: r.data };
    const issue = r.error.issues[0];
    return { problem: `${path.basename(file)}: field "${issue?.path.join('.')}" ${issue?.message ?? 'is invalid'}` };
  } catch (e) {
    return { problem: `${path.basename(file)}: ${(e as Error).message}` };
  }
}

export function listCheckpoints(dir: string): string[] {
  try {
    return fs.readdirSync(path.join(dir, 'checkpoints')).filter((n) => /^step-\d+$/.test(n)).sort();
  } catch {
    return [];
  }
}

/** `demo-20250101-120000` -> `demo`. */
export function runName(id: string): string {
  return id.replace(/-\d{8}-\d{6}$/, '');
}

export function readRun(dir: string, o: ReadOptions = {}): RunSummary {
  const isAlive = o.isAlive ?? isProcessAlive;
  const now = o.now ?? Date.now();
  const id = path.basename(dir);
  const checkpoints = listCheckpoints(dir);
  const base = { id, dir, name: runName(id), checkpoints };
  const status = readJson(path.join(dir, 'status.json'), RunStatus);
  const launch = readJson(path.join(dir, LAUNCH_FILE), LaunchRecord).value;
  let run: RunSummary;
  if (status.value) {
    const s = status.value;
    run = {
      ...base, state: s.state, message: s.message, step: s.step, totalSteps: s.totalSteps, loss: s.loss, etaSec: s.etaSec,
      startedAt: s.startedAt, updatedAt: s.updatedAt, pid: s.pid, backend: s.backend, device: s.device, lastCheckpoint: s.lastCheckpoint, resumable: false,
    };
    if (isActive(s.state) && !isAlive(s.pid)) {
      run.state = 'failed';
      run.message = `the trainer (pid ${s.pid}) exited without a final status at step ${s.step}`;
    }
  } else if (launch) {
    const alive = isAlive(launch.pid);
    run = {
      ...base, state: alive ? 'starting' : 'failed', step: 0, totalSteps: 0, startedAt: launch.startedAt, pid: launch.pid, resumable: false,
      message: alive ? undefined : status.problem ?? `the trainer (pid ${launch.pid}) exited before writing status.json; see ${CONSOLE_FILE}`,
    };
  } else {
    let mtime = 0;
    try {
      mtime = fs.statSync(dir).mtimeMs;
    } catch {
      // Deleted while we looked: it is about to disappear from the list anyway.
    }
    const young = now - mtime < (o.startGraceMs ?? 15_000);
    run = {
      ...base, state: young && !status.problem ? 'starting' : 'failed', step: 0, totalSteps: 0, resumable: false,
      message: status.problem ?? (young ? undefined : 'no status.json in this run folder'),
    };
  }
  run.resumable = checkpoints.length > 0 && (run.state === 'stopped' || run.state === 'failed');
  return run;
}

/** Active runs first, then the newest. */
export function compareRuns(a: RunSummary, b: RunSummary): number {
  const act = Number(isActive(b.state)) - Number(isActive(a.state));
  if (act) return act;
  return (b.startedAt ?? b.id).localeCompare(a.startedAt ?? a.id);
}

/** Every run folder directly under `runsDir` (missing folder: none). */
export function listRuns(runsDir: string, o: ReadOptions = {}): RunSummary[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  return names.map((n) => readRun(path.join(runsDir, n), o)).sort(compareRuns);
}
