// Creating and writing a run folder safely: atomic file writes, a unique folder per run,
// checkpoints listed in numeric step order, and a lock so two trainers never write one
// folder at once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors';
import { CHECKPOINT_FILES, RUN_FILES, checkpointStep, runFile, runId } from './names';

/** Write a file so readers see either the old or the new content, never a partial one. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/** JSON with a trailing newline, written atomically. */
export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * A new, empty folder `<runsDir>/<name>-<timestamp>`, or `…-2`, `…-3` when runs start in
 * the same second. mkdir is atomic, so two processes racing for a name get distinct ones.
 */
export function createRunDir(runsDir: string, name: string, now = new Date()): string {
  fs.mkdirSync(runsDir, { recursive: true });
  const base = path.join(runsDir, runId(name, now));
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

export interface CheckpointRef {
  name: string;
  step: number;
  dir: string;
}

/**
 * The checkpoints of a run folder, oldest step first (numeric order: step-1000000 comes
 * after step-999999). `complete` keeps only those with their trainer state written.
 */
export function listCheckpoints(runDir: string, o: { complete?: boolean } = {}): CheckpointRef[] {
  const root = runFile(runDir, 'checkpoints');
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return [];
  }
  const refs: CheckpointRef[] = [];
  for (const name of names) {
    const step = checkpointStep(name);
    if (step === null) continue;
    const dir = path.join(root, name);
    if (o.complete && !fs.existsSync(path.join(dir, CHECKPOINT_FILES.trainerState))) continue;
    refs.push({ name, step, dir });
  }
  return refs.sort((a, b) => a.step - b.step);
}

/** The newest complete checkpoint folder of a run, or null. */
export function latestCheckpoint(runDir: string): string | null {
  return listCheckpoints(runDir, { complete: true }).at(-1)?.dir ?? null;
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

const LockRecord = z.object({ pid: z.number().int(), host: z.string(), since: z.string() });
type LockRecord = z.infer<typeof LockRecord>;

export interface RunLock {
  release(): void;
}

/**
 * Take the run folder's lock (trainer.lock, created exclusively). A lock left by a process
 * that is gone (killed -9, machine rebooted) is stale and taken over; a live holder on this
 * machine is an error naming its pid. A holder on another host (a shared file system) is
 * trusted as live: we cannot see its processes.
 */
export function acquireRunLock(dir: string, o: { isAlive?: (pid: number) => boolean } = {}): RunLock {
  const file = runFile(dir, 'lock');
  const mine: LockRecord = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx' });
      return { release: () => releaseLock(file, mine) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = readLock(file);
    const alive = o.isAlive ?? isProcessAlive;
    if (holder && holder.pid !== process.pid && (holder.host !== mine.host || alive(holder.pid))) {
      throw new InputError(
        { file },
        `a run folder no other trainer is using (pid ${holder.pid} on ${holder.host} has held it since ${holder.since}; stop it first)`,
      );
    }
    // Stale (or unreadable, or our own from an earlier attempt): remove and try again.
    fs.rmSync(file, { force: true });
  }
  throw new InputError({ file }, `a run folder lock that can be taken (${RUN_FILES.lock} keeps reappearing)`);
}

function readLock(file: string): LockRecord | null {
  try {
    const r = LockRecord.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function releaseLock(file: string, mine: LockRecord): void {
  const holder = readLock(file);
  // Only remove our own lock: after a stale takeover the file may be someone else's.
  if (holder && holder.pid === mine.pid && holder.since === mine.since) fs.rmSync(file, { force: true });
}
