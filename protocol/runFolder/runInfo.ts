// A run folder read into a RunInfo, the one view of a run every UI shows. The state shown
// is derived, not copied: status.json says running while its process is gone means the
// trainer died without a final status, so it is failed, with the launcher's reason when the
// extension recorded one in launch.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tokenizerType } from '../modelFolder';
import type { RunConfig } from '../runConfig';
import { keyConfigOf } from '../runDifferences';
import { isActive, type RunInfo } from '../runInfo';
import { readRunConfig } from './contents';
import { isProcessAlive, listCheckpoints } from './files';
import { RUN_FILES, runName } from './names';
import { readLaunchRecord, readStatus } from './status';

export interface ReadOptions {
  isAlive?: (pid: number) => boolean;
  now?: number;
  /** A folder with neither status nor launch record counts as starting for this long. */
  startGraceMs?: number;
}

export function readRunInfo(dir: string, o: ReadOptions = {}): RunInfo {
  const isAlive = o.isAlive ?? isProcessAlive;
  const abs = path.resolve(dir);
  const id = path.basename(abs);
  const checkpoints = listCheckpoints(abs).map((c) => c.name);
  const base = { id, dir: abs, name: runName(id), checkpoints, resumable: false };
  const status = readStatus(abs);
  const launch = readLaunchRecord(abs).value;
  let run: RunInfo;
  if (status.value) {
    const { runId: _id, ...s } = status.value;
    run = { ...base, ...s };
    if (isActive(s.state) && !isAlive(s.pid)) {
      run.state = 'failed';
      run.message =
        (launch?.pid === s.pid ? launch.failure?.message : undefined) ??
        `the trainer (pid ${s.pid}) exited without a final status at step ${s.step}`;
    }
  } else if (launch) {
    const alive = !launch.failure && isAlive(launch.pid);
    run = {
      ...base,
      state: alive ? 'starting' : 'failed',
      step: 0,
      totalSteps: 0,
      startedAt: launch.startedAt,
      pid: launch.pid,
      message: alive
        ? undefined
        : (launch.failure?.message ??
          status.problem ??
          `the trainer (pid ${launch.pid}) exited before writing ${RUN_FILES.status}; see ${RUN_FILES.console}`),
    };
  } else {
    let mtime = 0;
    try {
      mtime = fs.statSync(abs).mtimeMs;
    } catch {
      // Deleted while we looked: it is about to disappear from the list anyway.
    }
    const young = (o.now ?? Date.now()) - mtime < (o.startGraceMs ?? 15_000);
    run = {
      ...base,
      state: young && !status.problem ? 'starting' : 'failed',
      step: 0,
      totalSteps: 0,
      message: status.problem ?? (young ? undefined : `no ${RUN_FILES.status} in this run folder`),
    };
  }
  run.resumable = checkpoints.length > 0 && (run.state === 'stopped' || run.state === 'failed');
  const config = readConfig(abs);
  if (config) {
    run.keyConfig = keyConfigOf(config);
    // A preset is the byte-level model; a folder's tokenizer is its tokenizer.json's type.
    const tokenizer = config.model.path ? tokenizerType(config.model.path) : 'byte-level';
    if (tokenizer) run.tokenizer = tokenizer;
  }
  return run;
}

/** The run's resolved config.json; undefined while it is missing or invalid. */
function readConfig(dir: string): RunConfig | undefined {
  try {
    return readRunConfig(dir);
  } catch {
    return undefined; // a starting run has none yet; an invalid one is reported where it is used
  }
}

/** Active runs first, then the newest. */
export function byActivityThenNewest(a: RunInfo, b: RunInfo): number {
  const act = Number(isActive(b.state)) - Number(isActive(a.state));
  if (act) return act;
  return (b.startedAt ?? b.id).localeCompare(a.startedAt ?? a.id);
}

/** Every run folder directly under `runsDir` (a missing folder has none), in display order. */
export function listRuns(runsDir: string, o: ReadOptions = {}): RunInfo[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(runsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
  return names.map((n) => readRunInfo(path.join(runsDir, n), o)).sort(byActivityThenNewest);
}
