// Creating and writing a run folder safely: atomic file writes, a unique folder per run,
// checkpoints listed in numeric step order, and a lock so two trainers never write one
// folder at once.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors';
import { CHECKPOINT_FILES, checkpointStep, RUN_FILES, runFile, runId } from './names';

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
  mkdirOrExplain(runsDir);
  const base = path.join(runsDir, runId(name, now));
  for (let i = 1; ; i++) {
    const dir = i === 1 ? base : `${base}-${i}`;
    try {
      fs.mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotCreate(runsDir, e);
    }
  }
}

/** Files the extension writes into a folder it made for a trainer before the trainer starts. */
const LAUNCHER_FILES: readonly string[] = [RUN_FILES.launch, RUN_FILES.console];

/**
 * Check (and create) a folder named for a new run (`--run-dir`): it must be a folder, and
 * empty but for the launcher's files, so a new run never overwrites or mixes into anything.
 */
export function prepareNewRunDir(dir: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw new InputError({ file: dir }, 'a folder for the new run (this is a file)');
    if (code !== 'ENOENT') throw cannotCreate(dir, e);
    mkdirOrExplain(dir);
    return;
  }
  const foreign = entries.filter((n) => !LAUNCHER_FILES.includes(n));
  if (foreign.includes(RUN_FILES.status)) {
    throw new InputError({ file: dir }, 'a new run folder (this one already holds a run; use --resume to continue it)');
  }
  if (foreign.length) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? ', …' : '');
    throw new InputError({ file: dir }, `an empty folder for the new run (it holds ${shown}; pick another --run-dir)`);
  }
}

function mkdirOrExplain(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw cannotCreate(dir, e);
  }
}

/** A folder we cannot write (read-only mount, a file in the way, no permission) is bad input, not a crash. */
function cannotCreate(dir: string, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  return new InputError({ file: dir }, `a folder where runs can be written (${err.code ?? 'error'}: ${err.message})`);
}

/**
 * Remove what a killed writer left behind: temporary checkpoint folders and temporary
 * files of atomic writes. Call it only while holding the run lock: then no live process
 * is writing any of them.
 */
export function removeStaleTemps(runDir: string): string[] {
  const removed: string[] = [];
  const sweep = (dir: string, isTemp: (name: string) => boolean) => {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names.filter(isTemp)) {
      fs.rmSync(path.join(dir, n), { recursive: true, force: true });
      removed.push(path.join(dir, n));
    }
  };
  sweep(runDir, (n) => /\.tmp-\d+$/.test(n));
  sweep(runFile(runDir, 'checkpoints'), (n) => /^\.step-\d+\.tmp-\d+$/.test(n));
  return removed;
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
