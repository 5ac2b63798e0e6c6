// Compare Runs without blocking the extension host: `solar compare --json RUN...` runs in
// the trainer program (one implementation of the comparison), asynchronously and
// cancellable (trainerCommand.ts), and its stdout is validated with the CompareReport
// schema before anything is drawn. vscode-free, so it is unit-testable.
import { CompareReport } from '../protocol/compareReport';
import type { NodeChoice } from './nodeRuntime';
import { type Cancellation, type CommandResult, commandFailure, failedWith, runTrainerCommand } from './trainerCommand';

export const COMPARE_TIMEOUT_MS = 120_000;

export type CompareOutcome =
  | { ok: true; report: CompareReport; warnings: string[] }
  | { ok: false; cancelled: boolean; message: string; stderr: string };

export function compareArgs(trainerJs: string, dirs: readonly string[]): string[] {
  return [trainerJs, 'compare', '--json', ...dirs];
}

/** What a finished `solar compare --json` said: the validated report, or why there is none. */
export function readCompareResult(r: CommandResult): CompareOutcome {
  const failed = commandFailure(r);
  if (failed) return failed;
  const fail = (message: string) => failedWith(r, message);
  let raw: unknown;
  try {
    raw = JSON.parse(r.stdout);
  } catch (e) {
    return fail(`the trainer printed no JSON comparison (${(e as Error).message})`);
  }
  const parsed = CompareReport.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(
      `the trainer's comparison does not match this extension (${issue.path.join('.') || 'report'}: ${issue.message})`,
    );
  }
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('solar: warning:'));
  return { ok: true, report: parsed.data, warnings };
}

export async function runCompare(
  node: NodeChoice,
  trainerJs: string,
  dirs: readonly string[],
  o: { token?: Cancellation; timeoutMs?: number } = {},
): Promise<CompareOutcome> {
  const r = await runTrainerCommand(node, compareArgs(trainerJs, dirs), {
    token: o.token,
    timeoutMs: o.timeoutMs ?? COMPARE_TIMEOUT_MS,
  });
  return readCompareResult(r);
}
