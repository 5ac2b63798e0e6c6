// "Score with Run…" (`solar.scoreDataset`): pick a run with a checkpoint, score the dataset
// with it in the background (`solar data score`, scoreRunner.ts) under a cancellable
// progress notification, and show the scores in the file's open grids (each session reads
// and validates the sidecar). "Re-score changed items" skips the pick: the checkpoint of
// the scores shown scores only the items edited or added since, which also happens by
// itself when such a file is saved (`solar.dataset.rescoreOnSave`). One scoring per file at a time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DatasetScores } from '../../protocol/datasetScores';
import { readScores, sidecarPath, unscoredItems } from '../../protocol/datasetScoresFile';
import { checkpointStep } from '../../protocol/runFolder';
import type { RunInfo } from '../../protocol/runInfo';
import type { TrainerHost } from '../comparePanel';
import { Disposable } from '../disposable';
import type { NodeChoice } from '../nodeRuntime';
import { describeRun } from '../runInfo';
import type { RunStore } from '../runStore';
import { readSettings } from '../settings';
import type { DatasetSession } from './datasetSession';
import { runScore, scoreArgs } from './scoreRunner';

const DATASET = /\.parallel\.jsonl$/;

/** What scores: a run folder (its newest checkpoint) or a checkpoint folder, and the run's name. */
interface Target {
  dir: string;
  name: string;
}

/** The newest checkpoint's step, or undefined when the run has none. */
function lastStep(r: RunInfo): number | undefined {
  const name = r.checkpoints.at(-1);
  return name === undefined ? undefined : (checkpointStep(name) ?? undefined);
}

export class DatasetScoring extends Disposable {
  /** Files being scored (fsPath). */
  private readonly running = new Set<string>();

  constructor(
    private readonly store: RunStore,
    private readonly trainer: TrainerHost,
    /** The open grids (a file may be open in several). */
    private readonly sessions: () => Iterable<DatasetSession>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(
      vscode.commands.registerCommand('solar.scoreDataset', (arg?: unknown, opts?: unknown) =>
        this.score(arg, (opts as { changedOnly?: unknown } | undefined)?.changedOnly === true),
      ),
    );
    this.register(vscode.workspace.onDidSaveTextDocument((d) => void this.rescoreSaved(d)));
  }

  /**
   * A scored dataset saved with new or edited items, open in a grid: those items scored again
   * with the scores' checkpoint, quietly (the grid and the status bar show it, no
   * notification). Nothing happens without scores, a grid, or trust.
   */
  private async rescoreSaved(doc: vscode.TextDocument): Promise<void> {
    const file = doc.uri.fsPath;
    if (doc.uri.scheme !== 'file' || !DATASET.test(file) || !readSettings(doc.uri).rescoreOnSave) return;
    if (!vscode.workspace.isTrusted || this.running.has(file) || !this.sessionsOf(file).length) return;
    const sidecar = sidecarPath(file);
    if (!fs.existsSync(sidecar)) return;
    let scores: DatasetScores;
    try {
      scores = readScores(sidecar);
    } catch {
      return; // the grid already says the sidecar is unreadable
    }
    const changed = unscoredItems(scores, doc.getText());
    if (!changed || !fs.existsSync(scores.run.checkpoint)) return;
    let node: NodeChoice;
    try {
      node = this.trainer.nodeChoice();
    } catch (e) {
      this.log.warn(`re-score on save: ${(e as Error).message}`);
      return;
    }
    this.log.info(`re-score on save: ${changed} new or edited item(s) of ${path.basename(file)}`);
    await this.run(node, { dir: scores.run.checkpoint, name: scores.run.name }, file, true, true);
  }

  private sessionsOf(file: string): DatasetSession[] {
    return [...this.sessions()].filter((s) => s.uri.fsPath === file);
  }

  /** The dataset: the one given, else the active tab's (grid or text). */
  private target(arg: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
    return vscode.window.activeTextEditor?.document.uri;
  }

  /** `changedOnly`: only items new or edited since the scores next to the file, with their checkpoint. */
  async score(arg?: unknown, changedOnly = false): Promise<void> {
    const uri = this.target(arg);
    if (uri?.scheme !== 'file' || !DATASET.test(uri.fsPath)) {
      void vscode.window.showInformationMessage('SOLAR: open a *.parallel.jsonl dataset to score it.');
      return;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('SOLAR does not start the trainer in an untrusted workspace.');
      return;
    }
    const file = uri.fsPath;
    if (this.running.has(file)) {
      void vscode.window.showInformationMessage(`SOLAR: ${path.basename(file)} is already being scored.`);
      return;
    }
    // The trainer reads the file on disk: unsaved edits would not be scored.
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) {
      const choice = await vscode.window.showWarningMessage(
        `${path.basename(file)} has unsaved changes; the trainer scores the file on disk.`,
        'Save and Score',
        'Score Saved File',
      );
      if (!choice) return;
      if (choice === 'Save and Score' && !(await doc.save())) return;
    }
    const from = changedOnly ? this.scoredWith(file) : undefined;
    const run = from ?? (await this.pickRun());
    if (!run) return;
    let node: NodeChoice;
    try {
      node = this.trainer.nodeChoice();
    } catch (e) {
      void vscode.window.showErrorMessage(`SOLAR: ${(e as Error).message}`);
      return;
    }
    await this.run(node, run, file, from !== undefined);
  }

  /** The checkpoint the scores next to `file` came from, when they are readable and it still exists. */
  private scoredWith(file: string): Target | undefined {
    try {
      const { run } = readScores(sidecarPath(file));
      if (fs.existsSync(run.checkpoint)) return { dir: run.checkpoint, name: run.name };
      void vscode.window.showInformationMessage(
        `SOLAR: the checkpoint these scores came from is gone (${run.checkpoint}); pick a run to score every item.`,
      );
    } catch (e) {
      this.log.warn(`dataset scores: ${(e as Error).message}`);
    }
    return undefined;
  }

  private async pickRun(): Promise<Target | undefined> {
    const runs = this.store
      .refresh()
      .filter((r) => lastStep(r) !== undefined)
      .sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
    if (!runs.length) {
      void vscode.window.showInformationMessage(
        'SOLAR: no run has a checkpoint to score with yet. Train one first (Start Run…).',
      );
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: r.name,
        description: `checkpoint step ${lastStep(r)} · ${describeRun(r)}`,
        detail: r.id,
        run: r,
      })),
      { title: 'SOLAR: Score with Run', placeHolder: "Which run's newest checkpoint scores the dataset?" },
    );
    return pick && { dir: pick.run.dir, name: pick.run.name };
  }

  /** `quiet`: progress in the status bar instead of a notification (a re-score on save). */
  private async run(node: NodeChoice, run: Target, file: string, changedOnly: boolean, quiet = false): Promise<void> {
    const request = { target: run.dir, file, out: sidecarPath(file), changedOnly };
    const name = path.basename(file);
    const show = (running: boolean, message?: string) => {
      for (const s of this.sessionsOf(file)) s.setScoring(running, message);
    };
    this.running.add(file);
    this.log.info(`score: ${node.command} ${scoreArgs(this.trainer.trainerJs, request).join(' ')}`);
    show(true, `Scoring with ${run.name}…`);
    try {
      const out = await vscode.window.withProgress(
        {
          location: quiet ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
          title: `SOLAR: scoring ${quiet ? 'the edited items of ' : ''}${name} with ${run.name}`,
          cancellable: true,
        },
        (progress, token) => {
          let shown = 0;
          return runScore(node, this.trainer.trainerJs, request, {
            token,
            onProgress: (done, total) => {
              const pct = (100 * done) / total;
              progress.report({ increment: pct - shown, message: `${done}/${total} rows` });
              shown = pct;
              show(true, `Scoring with ${run.name}: ${done}/${total} rows`);
            },
          });
        },
      );
      if (out.ok) {
        for (const s of this.sessionsOf(file)) s.loadScores();
        vscode.window.setStatusBarMessage(`SOLAR: scored ${out.scores.items.length} items of ${name}`, 5000);
      } else if (!out.cancelled) {
        this.log.error(`score failed: ${out.message}\n${out.stderr}`);
        void vscode.window
          .showErrorMessage(`SOLAR: scoring ${name} failed: ${out.message}`, 'Show Log')
          .then((a) => a && this.log.show());
      }
    } finally {
      this.running.delete(file);
      show(false);
    }
  }
}
