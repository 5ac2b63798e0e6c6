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
