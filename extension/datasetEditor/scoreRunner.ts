// "Score with Run…" without blocking the extension host: `solar data score RUN FILE --out
// SIDECAR` runs in the trainer program (trainerCommand.ts: asynchronous, cancellable, killed
// past a time limit), its `progress N/M` lines drive the progress notification, and the
// sidecar it wrote is read back and validated before the grid sees it. vscode-free, so it
// is testable without VS Code.
import type { DatasetScores } from '../../protocol/datasetScores';
import { readScores } from '../../protocol/datasetScoresFile';
import { InputError } from '../../protocol/errors';
import type { NodeChoice } from '../nodeRuntime';
import {
  type Cancellation,
  type CommandResult,
  commandFailure,
  failedWith,
  runTrainerCommand,
} from '../trainerCommand';

/** A large dataset on a slow backend takes long; past this it is stopped as stuck. */
export const SCORE_TIMEOUT_MS = 4 * 60 * 60 * 1000;

export type ScoreOutcome =
  | { ok: true; scores: DatasetScores }
  | { ok: false; cancelled: boolean; message: string; stderr: string };

export interface ScoreRequest {
  /** A run folder (its newest checkpoint) or a checkpoint folder. */
  target: string;
  /** The dataset, and where its sidecar goes. */
  file: string;
  out: string;
  /** Only items new or edited since the sidecar at `out` was scored with the same checkpoint. */
  changedOnly?: boolean;
}

export function scoreArgs(trainerJs: string, r: ScoreRequest): string[] {
  return [trainerJs, 'data', 'score', r.target, r.file, '--out', r.out, ...(r.changedOnly ? ['--changed-only'] : [])];
}

/** Turns stderr chunks (cut anywhere) into the `progress N/M` lines they carry. */
export class ProgressLines {
  private partial = '';

  constructor(private readonly onProgress: (done: number, total: number) => void) {}

  feed(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      const m = /^progress (\d+)\/(\d+)\r?$/.exec(line);
      if (m && Number(m[2]) > 0) this.onProgress(Number(m[1]), Number(m[2]));
    }
  }
}

/** What a finished `solar data score` left: the validated sidecar, or why there is none. */
export function readScoreResult(r: CommandResult, out: string): ScoreOutcome {
  const failed = commandFailure(r);
  if (failed) return failed;
  try {
    return { ok: true, scores: readScores(out) };
  } catch (e) {
    if (e instanceof InputError) return failedWith(r, `the scores it wrote do not match this extension (${e.message})`);
    throw e;
  }
}

export async function runScore(
  node: NodeChoice,
  trainerJs: string,
  request: ScoreRequest,
  o: { token?: Cancellation; timeoutMs?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ScoreOutcome> {
  const lines = new ProgressLines((d, t) => o.onProgress?.(d, t));
  const r = await runTrainerCommand(node, scoreArgs(trainerJs, request), {
    token: o.token,
    timeoutMs: o.timeoutMs ?? SCORE_TIMEOUT_MS,
    onStderr: (chunk) => lines.feed(chunk),
  });
  return readScoreResult(r, request.out);
}
