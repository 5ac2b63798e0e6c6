// Reading a run folder back (for `solar compare` and anything else outside the trainer):
// every file is validated with the protocol schemas. A torn last line of metrics.jsonl
// (a process killed mid-write) is skipped, not fatal; any other bad line is an error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MetricEvent, RunStatus, type EvalEvent } from '../../protocol/metrics';
import { RunConfig } from '../../protocol/runConfig';
import { InputError, parseWith } from '../../protocol/errors';

export interface RunRecord {
  dir: string;
  config: RunConfig;
  status: RunStatus | null;
  events: MetricEvent[];
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new InputError({ file }, 'a run folder file (missing: is this a run folder?)');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError({ file }, `valid JSON (${(e as Error).message})`);
  }
}

export function parseMetricsJsonl(text: string, file: string): MetricEvent[] {
  const lines = text.split('\n');
  const events: MetricEvent[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      if (i === lines.length - 1) return; // torn final line: the writer died mid-line
      throw new InputError({ file, line: i + 1 }, `one JSON event per line (${(e as Error).message})`);
    }
    events.push(parseWith(MetricEvent, value, file, i + 1));
  });
  return events;
}

export function readRun(dir: string): RunRecord {
  const abs = path.resolve(dir);
  const config = parseWith(RunConfig, readJson(path.join(abs, 'config.json')), path.join(abs, 'config.json'));
  const statusFile = path.join(abs, 'status.json');
  const status = fs.existsSync(statusFile) ? parseWith(RunStatus, readJson(statusFile), statusFile) : null;
  const metricsFile = path.join(abs, 'metrics.jsonl');
  const events = fs.existsSync(metricsFile) ? parseMetricsJsonl(fs.readFileSync(metricsFile, 'utf8'), metricsFile) : [];
  return { dir: abs, config, status, events };
}

/** The eval event with the highest step (the final evaluation), or null. */
export function finalEval(run: RunRecord): EvalEvent | null {
  let best: EvalEvent | null = null;
  for (const e of run.events) if (e.kind === 'eval' && (!best || e.step >= best.step)) best = e;
  return best;
}

/** The step-0 evaluation: the base model before any training. */
export function baseEval(run: RunRecord): EvalEvent | null {
  return (run.events.find((e) => e.kind === 'eval' && e.step === 0) as EvalEvent | undefined) ?? null;
}
