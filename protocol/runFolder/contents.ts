// A finished (or running) run read back whole, for `solar compare` and anything else that
// analyses runs: the resolved config (required: without it this is not a run folder), the
// status, and every metric event. Invalid metric lines are returned, not thrown, so one
// torn line of a killed-then-resumed run does not hide the rest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, parseWith } from '../errors';
import type { MetricEvent, RunStatus } from '../metrics';
import { RunConfig } from '../runConfig';
import { readMetrics } from './metricsLog';
import { runFile } from './names';
import { readStatus } from './status';

export interface RunContents {
  dir: string;
  config: RunConfig;
  status: RunStatus | null;
  events: MetricEvent[];
  /** Invalid lines of metrics.jsonl (file, line, field), skipped. */
  problems: InputError[];
}

/** The resolved run config a trainer saved in a run folder, validated. */
export function readRunConfig(dir: string): RunConfig {
  const configFile = runFile(path.resolve(dir), 'config');
  let text: string;
  try {
    text = fs.readFileSync(configFile, 'utf8');
  } catch {
    throw new InputError({ file: configFile }, 'a run folder file (missing: is this a run folder?)');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError({ file: configFile }, `valid JSON (${(e as Error).message})`);
  }
  return parseWith(RunConfig, raw, configFile);
}

export function readRunContents(dir: string): RunContents {
  const abs = path.resolve(dir);
  const config = readRunConfig(abs);
  const status = readStatus(abs);
  if (status.problem) throw new InputError({ file: runFile(abs, 'status') }, `a valid status (${status.problem})`);
  const { events, problems } = readMetrics(runFile(abs, 'metrics'));
  return { dir: abs, config, status: status.value ?? null, events, problems };
}
