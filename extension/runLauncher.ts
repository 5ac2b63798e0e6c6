// Starts a trainer on a run folder and makes sure the folder always ends up saying what
// happened. The extension picks the folder itself (--run-dir), so the run shows in the
// tree at once, and records the launch in its own files (launch.json, console.log); it
// never writes the trainer's status.json or metrics.jsonl. The trainer validates the
// config and datasets; when it exits badly (bad input exits with code 2 and writes
// nothing, a crash, a kill, a Node that cannot run it), the launcher records the
// trainer's own error line as the launch's failure, which the Runs view then shows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunConfig } from '../protocol/runConfig';
import {
  createRunDir,
  type LaunchRecord,
  readLaunchRecord,
  runFile,
  runNameFromConfigFile,
  writeLaunchRecord,
} from '../protocol/runFolder';
import type { NodeChoice } from './nodeRuntime';
import { type ExitInfo, TrainerProcess } from './trainerProcess';

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
    const name = RunConfig.shape.name.safeParse(
      (JSON.parse(fs.readFileSync(configFile, 'utf8')) as { name?: unknown }).name,
    );
    if (name.success && name.data) return name.data;
  } catch {
    // The trainer reports a broken config with file and line; here a name is enough.
  }
  return runNameFromConfigFile(path.basename(configFile));
}

/** One line that explains a trainer's exit, from its console output. */
export function explainExit(consoleText: string, exit: ExitInfo): string {
  const lines = consoleText
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
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

/**
 * Record why a launch failed in launch.json (the extension's own file in the run folder).
 * A trainer that wrote a final state has said what happened; its status stays the truth.
 */
export function recordLaunchFailure(dir: string, message: string, pid = 0): void {
  const prev = readLaunchRecord(dir).value;
  const record: LaunchRecord = prev ?? { pid, startedAt: new Date().toISOString(), node: '', args: [] };
  writeLaunchRecord(dir, { ...record, failure: { message, at: new Date().toISOString() } });
  fs.appendFileSync(runFile(dir, 'console'), `[solar-studio] run failed: ${message}\n`);
}

export async function launchRun(req: LaunchRequest): Promise<Launched> {
  const log = req.log ?? (() => {});
  let dir: string;
  if (req.resumeDir) dir = path.resolve(req.resumeDir);
  else if (req.configFile && req.runsDir) dir = createRunDir(req.runsDir, configRunName(req.configFile));
  else throw new Error('launchRun needs configFile + runsDir, or resumeDir');
  const consoleFile = runFile(dir, 'console');
  const fail = (message: string, pid = 0): Launched => {
    recordLaunchFailure(dir, message, pid);
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
    proc = await TrainerProcess.start({
      command: node.command,
      args,
      env: node.env,
      cwd: path.dirname(req.configFile ?? dir),
      consoleFile,
    });
  } catch (e) {
    return fail(`could not start ${node.command}: ${(e as Error).message}`);
  }
  const record: LaunchRecord = { pid: proc.pid, startedAt: new Date().toISOString(), node: node.command, args };
  writeLaunchRecord(dir, record);

  const done = proc.exited.then((exit): LaunchOutcome => {
    if (exit.code === 0) return { ok: true, exit };
    const message = explainExit(readText(consoleFile), exit);
    recordLaunchFailure(dir, message, proc.pid);
    log(`run ${path.basename(dir)} failed: ${message}`);
    return { ok: false, message, exit };
  });
  return { dir, process: proc, done };
}
