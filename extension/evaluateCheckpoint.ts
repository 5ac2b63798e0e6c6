// "SOLAR: Evaluate Checkpoint…" (palette and the Runs tree's context menu): pick a
// checkpoint of the run (newest first, so Enter takes it) and the data (the run's eval set
// first, or another *.parallel.jsonl of the workspace), run `solar eval` in the background
// with a cancellable notification (evalRunner.ts), and on success open the run's Metrics
// panel with that evaluation shown in its Generations card. A failure shows the trainer's
// own message with "Show Log" (the log channel has its whole stderr).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listCheckpoints } from '../protocol/runFolder';
import type { RunInfo } from '../protocol/runInfo';
import type { TrainerHost } from './comparePanel';
import { Disposable, toDisposable } from './disposable';
import { showTrainerError } from './errorNotice';
import { listEvalFiles } from './evalFiles';
import { type EvalRequest, evalArgs, runEvaluation } from './evalRunner';
import type { MetricsPanels } from './metricsPanel';
import type { NodeChoice } from './nodeRuntime';

const EXCLUDE = '**/{node_modules,.solar,.git}/**';
const dataName = (file: string) => path.basename(file).replace(/\.parallel\.jsonl$|\.jsonl$/, '');

export class CheckpointEvaluator extends Disposable {
  /** Evaluations under way, by checkpoint and data (the same one is not started twice), with their Cancel. */
  private readonly running = new Map<string, vscode.CancellationTokenSource>();

  constructor(
    private readonly trainer: TrainerHost,
    private readonly panels: MetricsPanels,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    // The window goes: its evaluations (child processes of this host) are stopped, not orphaned.
    this.register(toDisposable(() => [...this.running.values()].forEach((c) => c.cancel())));
  }

  /** Ask which checkpoint and data, evaluate, and show the result. */
  async evaluate(run: RunInfo): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(
        'SOLAR does not start the trainer in an untrusted workspace: evaluation runs the Node.js and reads the files a run names. Trust the workspace to evaluate.',
      );
      return;
    }
    const checkpoint = await this.pickCheckpoint(run);
    if (!checkpoint) return;
    const data = await this.pickData(run, checkpoint.step);
    if (data === undefined) return;
    await this.run(run, { runDir: run.dir, checkpointDir: checkpoint.dir, ...(data ? { data } : {}) }, checkpoint.step);
  }

  /** Newest first; no question when there is one. */
  private async pickCheckpoint(run: RunInfo): Promise<{ dir: string; step: number } | undefined> {
    const checkpoints = listCheckpoints(run.dir, { complete: true }).reverse();
    if (!checkpoints.length) {
      void vscode.window.showInformationMessage(`SOLAR: run ${run.id} has no checkpoint to evaluate yet.`);
      return undefined;
    }
    if (checkpoints.length === 1) return checkpoints[0];
    const evaluated = new Map<number, string[]>();
    for (const f of listEvalFiles(run.dir)) evaluated.set(f.step, [...(evaluated.get(f.step) ?? []), f.data]);
    const pick = await vscode.window.showQuickPick(
      checkpoints.map((c, i) => ({
        label: `step ${c.step}`,
        description: [
          i === 0 ? 'newest' : '',
          evaluated.has(c.step) ? `evaluated on ${evaluated.get(c.step)!.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' · '),
        detail: c.dir,
        checkpoint: c,
      })),
      { title: `SOLAR: Evaluate Checkpoint of ${run.name} (1/2): checkpoint`, placeHolder: 'Which checkpoint?' },
    );
    return pick?.checkpoint;
  }

  /**
   * The data: the run's eval set (null: `solar eval` reads it from the run's config), or
   * another file (absolute path); undefined when cancelled.
   */
  private async pickData(run: RunInfo, step: number): Promise<string | null | undefined> {
    type Item = vscode.QuickPickItem & { file?: string | null; browse?: boolean };
    const own = run.keyConfig?.eval;
    const train = run.keyConfig?.train;
    const files = (await vscode.workspace.findFiles('**/*.parallel.jsonl', EXCLUDE, 200))
      .map((u) => u.fsPath)
      .filter((f) => f !== own)
      .sort((a, b) => a.localeCompare(b));
    const items: Item[] = [];
    if (own) items.push({ label: path.basename(own), description: "the run's eval set", detail: own, file: null });
    for (const f of files)
      items.push({
        label: path.basename(f),
        description: [vscode.workspace.asRelativePath(path.dirname(f)), f === train ? "the run's training set" : '']
          .filter(Boolean)
          .join(' · '),
        file: f,
      });
    items.push({ label: '$(folder-opened) Browse…', browse: true });
    const pick = await vscode.window.showQuickPick(items, {
      title: `SOLAR: Evaluate Checkpoint of ${run.name} at step ${step} (2/2): data`,
      placeHolder: own
        ? "Evaluate on the run's eval set, or pick other data"
        : 'This run has no eval set: pick the data',
    });
    if (!pick) return undefined;
    if (!pick.browse) return pick.file ?? null;
    const chosen = await vscode.window.showOpenDialog({
      title: 'Evaluate on which data?',
      canSelectMany: false,
      filters: { 'Parallel datasets': ['jsonl'] },
    });
    return chosen?.[0]?.fsPath;
  }

  private async run(run: RunInfo, req: EvalRequest, step: number): Promise<void> {
    const key = `${req.checkpointDir}\n${req.data ?? ''}`;
    const on = req.data ? dataName(req.data) : run.keyConfig?.eval ? dataName(run.keyConfig.eval) : 'its eval set';
    if (this.running.has(key)) {
      void vscode.window.showInformationMessage(
        `SOLAR: step ${step} of ${run.id} is already being evaluated on ${on}.`,
      );
      return;
    }
    let node: NodeChoice;
    try {
      node = this.trainer.nodeChoice();
    } catch (e) {
      void vscode.window.showErrorMessage(`SOLAR: ${(e as Error).message}`);
      return;
    }
    const stop = new vscode.CancellationTokenSource();
    this.running.set(key, stop);
    this.log.info(`evaluate: ${node.command} ${evalArgs(this.trainer.trainerJs, req).join(' ')}`);
    try {
      const out = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `SOLAR: evaluating ${run.name} at step ${step} on ${on}…`,
          cancellable: true,
        },
        (progress, token) => {
          token.onCancellationRequested(() => stop.cancel());
          return runEvaluation(node, this.trainer.trainerJs, req, {
            token: stop.token,
            onProgress: (message) => progress.report({ message }),
          });
        },
      );
      if (this.isDisposed) return;
      if (out.ok) {
        this.log.info(`evaluated ${run.id} at step ${step}: evals/${out.file}\n${out.stdout.trimEnd()}`);
        this.panels.show(run.dir, { evalFile: out.file });
        vscode.window.setStatusBarMessage(`SOLAR: evaluation saved as evals/${out.file}`, 5000);
      } else if (out.cancelled) {
        this.log.info(`evaluation of ${run.id} at step ${step} cancelled`);
      } else {
        this.log.error(`evaluation of ${run.id} at step ${step} failed: ${out.message}\n${out.stderr}`);
        void showTrainerError('SOLAR: Evaluate Checkpoint failed', out.message, this.log);
      }
    } finally {
      this.running.delete(key);
      stop.dispose();
    }
  }
}
