// Starts a trainer on a run folder and makes sure the folder always ends up saying what
// happened. The extension picks the folder itself (--run-dir), so the run shows in the
// tree at once, and records the launch (launch.json, console.log). The trainer validates
// the config and datasets; when it exits without a final status (bad input exits with
// code 2 and writes nothing, a crash, a kill, a Node that cannot run it), the launcher
// writes a `failed` status with the trainer's own error line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunStatus, StatusEvent } from '../protocol/metrics';
import { RunConfig } from '../protocol/runConfig';
import { runId, runNameFromConfigFile } from '../protocol/runNaming';
import { CONSOLE_FILE, LAUNCH_FILE, isActive, type LaunchRecord } from './runFolder';
import type { NodeChoice } from './nodeRuntime';
import { TrainerProcess, type ExitInfo } from './trainerProcess';

export interface LaunchRequest {
  /** dist/trainer.js */
  trainerJs: string;
  /** Runs on the folder's own thread of control: may throw to refuse (e.g. Node too old). */
  chooseNode: () => NodeChoice;
  /** A new run from this config ... */
  configFile?: string;
  runsDir?: string;
  /** ... or continue this run folder from its newest checkpoint. */
  resumeDir?: string;
  /** Extra node_modules folders holding tfjs-node(-gpu); only passed to a real Node. */
  modulePaths?: string[];
  log?: (line: string) => void;
}

export interface Launched {
  dir: string;
  process: TrainerProcess | null;
  /** Resolves when the trainer has exited (at once when it could not start). */
  done: Promise<LaunchOutcome>;
}

export interface LaunchOutcome {
  ok: boolean;
  /** Why it failed, one line, for the notification. */
  message?: string;
  exit?: ExitInfo;
}

/** The run name the trainer will use: the config's `name`, else the file name. */
export function configRunName(configFile: string): string {
  try {
    const name = RunConfig.shape.name.safeParse((JSON.parse(fs.readFileSync(configFile, 'utf8')) as { name?: unknown }).name);
    if (name.success && name.data) return name.data;
  } catch {
    // The trainer reports a broken config with file and line; here a name is enough.
  }
  return runNameFromConfigFile(path.basename(configFile));
}

/** A fresh folder `<runsDir>/<name>-<timestamp>[-n]`, created. */
export function newRunDir(runsDir: string, name: string, now = new Date()): string {
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

/** One line that explains a trainer's exit, from its console output. */
export function explainExit(consoleText: string, exit: ExitInfo): string {
  const lines = consoleText.split('\n').map((l) => l.trim()).filter(Boolean);
  const err = lines.find((l) => /^solar: (error|failed): /.test(l)) ?? lines.find((l) => l.startsWith('solar: '));
  if (err) return err.replace(/^solar: (error: |failed: )?/, '');
  if (exit.signal) return `the trainer was killed by ${exit.signal}`;
  const last = lines.at(-1);
  return `the trainer exited with code ${exit.code}${last ? `: ${last}` : ''}`;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Mark a run failed unless the trainer already wrote a final state. */
export function recordFailure(dir: string, message: string, pid = 0): void {
  const statusFile = path.join(dir, 'status.json');
  let prev: RunStatus | undefined;
  try {
    prev = RunStatus.parse(JSON.parse(fs.readFileSync(statusFile, 'utf8')));
  } catch {
    prev = undefined;
  }
  if (prev && !isActive(prev.state)) return;
  const now = new Date().toISOString();
  const status: RunStatus = {
    runId: path.basename(dir), step: 0, totalSteps: 0, startedAt: now, ...prev, pid: prev?.pid ?? pid, state: 'failed', message, updatedAt: now,
  };
  const tmp = `${statusFile}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(status, null, 2) + '\n');
  fs.renameSync(tmp, statusFile);
  const event: StatusEvent = { kind: 'status', time: now, state: 'failed', step: status.step, message };
  fs.appendFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify(event) + '\n');
  fs.appendFileSync(path.join(dir, CONSOLE_FILE), `[solar-studio] run failed: ${message}\n`);
}

export async function launchRun(req: LaunchRequest): Promise<Launched> {
  const log = req.log ?? (() => {});
  let dir: string;
  if (req.resumeDir) dir = path.resolve(req.resumeDir);
  else if (req.configFile && req.runsDir) dir = newRunDir(req.runsDir, configRunName(req.configFile));
  else throw new Error('launchRun needs configFile + runsDir, or resumeDir');
  const consoleFile = path.join(dir, CONSOLE_FILE);
  const fail = (message: string, pid = 0): Launched => {
    recordFailure(dir, message, pid);
    log(`run ${path.basename(dir)} failed: ${message}`);
    return { dir, process: null, done: Promise.resolve({ ok: false, message }) };
  };

  let node: NodeChoice;
  try {
    node = req.chooseNode();
  } catch (e) {
    return fail((e as Error).message);
  }
  log(`trainer runtime: ${node.describe}`);
  const modulePaths = node.nativeAddons ? (req.modulePaths ?? []).filter((p) => fs.existsSync(p)) : [];
  const args = [req.trainerJs, 'train', ...(req.resumeDir ? ['--resume', dir] : [req.configFile!, '--run-dir', dir])];
  for (const p of modulePaths) args.push('--module-path', p);
  log(`${node.command} ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);

  let proc: TrainerProcess;
  try {
    proc = await TrainerProcess.start({ command: node.command, args, env: node.env, cwd: path.dirname(req.configFile ?? dir), consoleFile });
  } catch (e) {
    return fail(`could not start ${node.command}: ${(e as Error).message}`);
  }
  const record: LaunchRecord = { pid: proc.pid, startedAt: new Date().toISOString(), node: node.command, args };
  fs.writeFileSync(path.join(dir, LAUNCH_FILE), JSON.stringify(record, null, 2) + '\n');

  const done = proc.exited.then((exit): LaunchOutcome => {
    if (exit.code === 0) return { ok: true, exit };
    const message = explainExit(readText(consoleFile), exit);
    recordFailure(dir, message, proc.pid);
    log(`run ${path.basename(dir)} failed: ${message}`);
    return { ok: false, message, exit };
  });
  return { dir, process: proc, done };
}
