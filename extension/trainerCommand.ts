// A short trainer CLI command (e.g. `solar compare`) run from the extension without
// blocking the extension host: spawned asynchronously, its output collected, killed when
// the user cancels or it runs past its time limit.
import { spawn } from 'node:child_process';
import type { NodeChoice } from './nodeRuntime';

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why it did not finish by itself: cancelled by the user, or over the time limit. */
  aborted?: 'cancelled' | 'timeout';
}

/** A command that gave no result, said in one line for the user (the full stderr kept for the log). */
export interface CommandFailure {
  ok: false;
  cancelled: boolean;
  message: string;
  stderr: string;
}

/** `r` as a failure with `message` (e.g. output that did not validate). */
export function failedWith(r: CommandResult, message: string): CommandFailure {
  return { ok: false, cancelled: r.aborted === 'cancelled', message, stderr: r.stderr };
}

/** Why a finished command failed (cancelled, timed out, or the trainer's own error line); undefined when it exited 0. */
export function commandFailure(r: CommandResult): CommandFailure | undefined {
  if (r.aborted === 'cancelled') return failedWith(r, 'cancelled');
  if (r.aborted === 'timeout') return failedWith(r, 'it ran past its time limit and was stopped');
  if (r.code !== 0) return failedWith(r, trainerMessage(r.stderr) ?? `the trainer exited with ${r.code ?? r.signal}`);
  return undefined;
}

/**
 * The line of a failed trainer's stderr that says why: its first `solar: error:` /
 * `solar: failed:` line (warnings skipped), else its last line that is not a progress line.
 */
export function trainerMessage(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim());
  for (const l of lines) {
    const m = /^solar: (?:error: |failed: (?:Error: )?)?(.+)$/.exec(l);
    if (m && !l.startsWith('solar: warning:')) return m[1];
  }
  return lines.filter((l) => l && !l.startsWith('progress ')).pop();
}

export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export function runTrainerCommand(
  node: NodeChoice,
  args: string[],
  o: { token?: Cancellation; timeoutMs?: number; onStderr?: (chunk: string) => void } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(node.command, args, {
      env: { ...process.env, ...node.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let aborted: CommandResult['aborted'];
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      o.onStderr?.(d);
    });
    const abort = (why: NonNullable<CommandResult['aborted']>) => {
      aborted ??= why;
      child.kill('SIGTERM');
    };
    const timer = setTimeout(() => abort('timeout'), o.timeoutMs ?? 120_000);
    const sub = o.token?.onCancellationRequested(() => abort('cancelled'));
    if (o.token?.isCancellationRequested) abort('cancelled');
    const finish = (code: number | null, signal: NodeJS.Signals | null, extra = '') => {
      clearTimeout(timer);
      sub?.dispose();
      resolve({ code, signal, stdout, stderr: stderr + extra, ...(aborted ? { aborted } : {}) });
    };
    child.on('error', (e) => finish(null, null, `\n${e.message}`));
    child.on('close', (code, signal) => finish(code, signal));
  });
}
