// Evaluate Checkpoint without blocking the extension host: `solar eval CHECKPOINT [--data
// FILE]` runs in the trainer program (one implementation of evaluation), asynchronously
// and cancellable (trainerCommand.ts), and saves evals/<data>-step-NNNNNN.json in the run
// folder; the outcome names that file (for the Metrics panel's Generations card) or says
// why there is none, in the trainer's own words. vscode-free, so it is tested.
import * as path from 'node:path';
import { runFile } from '../protocol/runFolder';
import { listEvalFiles, parseEvalFileName } from './evalFiles';
import type { NodeChoice } from './nodeRuntime';
import { type Cancellation, type CommandResult, commandFailure, failedWith, runTrainerCommand } from './trainerCommand';

/**
 * A full evaluation generates for every item in every language: minutes on wasm for the
 * example eval set, longer for a benchmark. The limit only stops a hung process; the
 * notification's Cancel stops it any time.
 */
export const EVAL_TIMEOUT_MS = 3 * 60 * 60_000;

export interface EvalRequest {
  /** The run folder the checkpoint belongs to (its evals/ folder gets the result). */
  runDir: string;
  /** A checkpoint folder (checkpoints/step-NNNNNN) of that run. */
  checkpointDir: string;
  /** Another eval data file (absolute); absent: the run's own eval set. */
  data?: string;
}

export type EvalOutcome =
  | {
      ok: true;
      /** The saved evaluation's file name inside evals/ (what the Generations card selects). */
      file: string;
      /** What `solar eval` printed: the per-language table. */
      stdout: string;
    }
  | { ok: false; cancelled: boolean; message: string; stderr: string };

export function evalArgs(trainerJs: string, req: EvalRequest): string[] {
  return [trainerJs, 'eval', req.checkpointDir, ...(req.data ? ['--data', req.data] : [])];
}

/**
 * The evaluation a finished `solar eval` saved: the `saved FILE` line it prints, when that
 * file is an eval file of this run; else (another trainer version) the eval file written
 * since `startedMs`. Undefined when neither names one.
 */
export function savedEvalFile(stdout: string, runDir: string, startedMs: number): string | undefined {
  const evalsDir = path.resolve(runFile(runDir, 'evals'));
  const said = stdout
    .split('\n')
    .map((l) => /^saved (.+)$/.exec(l.trim())?.[1])
    .filter((f): f is string => f !== undefined)
    .pop();
  if (said && path.dirname(path.resolve(said)) === evalsDir && parseEvalFileName(path.basename(said)))
    return path.basename(said);
  // Written at or after the start (file times can lag the clock by a file system's granularity).
  const fresh = listEvalFiles(runDir).filter((f) => f.mtimeMs >= startedMs - 2000);
  return fresh.sort((a, b) => b.mtimeMs - a.mtimeMs)[0]?.name;
}

/** What a finished `solar eval` said: the saved evaluation, or why there is none. */
export function readEvalResult(r: CommandResult, req: EvalRequest, startedMs: number): EvalOutcome {
  const failed = commandFailure(r);
  if (failed) return failed;
  const file = savedEvalFile(r.stdout, req.runDir, startedMs);
  if (!file)
    return failedWith(r, `the trainer finished but no evaluation was saved in ${runFile(req.runDir, 'evals')}`);
  return { ok: true, file, stdout: r.stdout };
}

/**
 * What an evaluation is doing, from the line `solar eval` writes when it starts ("evaluating
 * CHECKPOINT on 60 items of FILE in en, sw (wasm)…"): "60 items in en, sw (wasm)".
 * Undefined for any other line (tfjs notices, warnings).
 */
export function evalProgress(line: string): string | undefined {
  const m = /^evaluating .+ on (\d+) items of .+ in (.+) \(([^()]+)\)…$/.exec(line.trim());
  return m ? `${m[1]} items in ${m[2]} (${m[3]})` : undefined;
}

export async function runEvaluation(
  node: NodeChoice,
  trainerJs: string,
  req: EvalRequest,
  o: { token?: Cancellation; timeoutMs?: number; now?: () => number; onProgress?: (message: string) => void } = {},
): Promise<EvalOutcome> {
  const started = (o.now ?? Date.now)();
  let partial = '';
  const r = await runTrainerCommand(node, evalArgs(trainerJs, req), {
    token: o.token,
    timeoutMs: o.timeoutMs ?? EVAL_TIMEOUT_MS,
    // Whole lines only: a chunk may end mid-line.
    onStderr: (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        const message = evalProgress(l);
        if (message) o.onProgress?.(message);
      }
    },
  });
  return readEvalResult(r, req, started);
}
