// The palette and context-menu commands (category "SOLAR" in package.json). Each accepts
// what the tree, the status bar or the webview passes (a run, a folder path, a Uri) and
// asks with a quick pick when called bare from the palette.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUN_FILES } from '../protocol/runFolder';
import { isActive, type RunInfo } from '../protocol/runInfo';
import type { ComparePanels } from './comparePanel';
import { Disposable } from './disposable';
import type { CheckpointEvaluator } from './evaluateCheckpoint';
import { installGpuBackend } from './gpuBackend';
import type { MetricsPanels } from './metricsPanel';
import type { MetricsView } from './metricsView';
import { newRunConfig } from './newRunConfig';
import type { RunController } from './runController';
import { describeRun } from './runInfo';
import type { RunStore } from './runStore';
import { type RunsTree, runFromArg } from './runsTree';
import { pickRunsFilter, pickRunsSort } from './runsTreePicks';

export class Commands extends Disposable {
  constructor(
    private readonly store: RunStore,
    private readonly tree: RunsTree,
    private readonly controller: RunController,
    private readonly metrics: MetricsView,
    private readonly panels: MetricsPanels,
    private readonly log: vscode.LogOutputChannel,
    private readonly comparePanels: ComparePanels,
    private readonly evaluator: CheckpointEvaluator,
  ) {
    super();
    const reg = (id: string, fn: (...args: unknown[]) => unknown) =>
      this.register(vscode.commands.registerCommand(id, fn));
    reg('solar.newRunConfig', () => newRunConfig());
    reg('solar.startRun', (arg) => this.startRun(arg));
    reg('solar.stopRun', async (arg) =>
      (await this.runFor(arg, 'Stop which run?', (r) => isActive(r.state))).forEach(
        (r) => void this.controller.stop(r),
      ),
    );
    reg('solar.resumeRun', async (arg) =>
      (await this.runFor(arg, 'Resume which run?', (r) => r.resumable)).forEach((r) => void this.controller.resume(r)),
    );
    reg('solar.openMetrics', async (arg) => {
      const [r] = await this.runFor(arg, 'Open the metrics of which run?', () => true);
      if (!r) return;
      this.metrics.follow(r.dir);
      this.panels.show(r.dir);
    });
    // A click in the Runs tree shows the run in the sidebar view; not in the palette
    // (no contribution): a panel per click would pile up editors.
    reg('solar.showRunInSidebar', async (arg) => {
      const [r] = await this.runFor(arg, 'Show which run?', () => true);
      if (r) await this.metrics.show(r.dir);
    });
    // From the Runs tree's context menu VS Code passes the clicked run and every selected one.
    reg('solar.compareRuns', (arg, selected) => this.compareRuns(arg, selected, false));
    reg('solar.compareSelectedRuns', (arg, selected) => this.compareRuns(arg, selected, true));
    reg('solar.evaluateCheckpoint', async (arg) => {
      const [r] = await this.runFor(arg, 'Evaluate a checkpoint of which run?', (x) => x.checkpoints.length > 0);
      if (r) await this.evaluator.evaluate(r);
    });
    reg('solar.showLog', (arg) => this.showLog(arg));
    reg('solar.installGpuBackend', () => this.installGpu());
    reg('solar.revealRun', (arg) => this.reveal(arg));
    reg('solar.deleteRun', (arg) => this.deleteRun(arg));
    reg('solar.refreshRuns', () => this.store.refresh());
    // The Runs view's title: sort, filter (a filled icon while one is on: same picker), clear.
    reg('solar.sortRuns', () => pickRunsSort(this.tree));
    reg('solar.filterRuns', () => pickRunsFilter(this.tree, this.store));
    reg('solar.editRunsFilter', () => pickRunsFilter(this.tree, this.store));
    reg('solar.clearRunsFilter', () => this.tree.setViewState({ states: [], text: '' }));
    this.register(
      this.tree.view.onDidChangeSelection((e) => e.selection[0] && this.metrics.follow(e.selection[0].dir)),
    );
  }

  private async startRun(arg: unknown): Promise<void> {
    let file = arg instanceof vscode.Uri ? arg.fsPath : typeof arg === 'string' ? arg : undefined;
    if (!file) {
      const configs = await vscode.workspace.findFiles('**/*.solar.json', '**/{node_modules,.solar,.git}/**', 500);
      const active = vscode.window.activeTextEditor?.document.uri.fsPath;
      configs.sort(
        (a, b) => Number(b.fsPath === active) - Number(a.fsPath === active) || a.fsPath.localeCompare(b.fsPath),
      );
      type Item = vscode.QuickPickItem & { file?: string };
      const items: Item[] = configs.map((u) => ({
        label: path.basename(u.fsPath),
        description: vscode.workspace.asRelativePath(path.dirname(u.fsPath)),
        file: u.fsPath,
      }));
      items.push({ label: '$(add) New Run Config…', description: 'dataset, preset, lambda' });
      const pick = await vscode.window.showQuickPick(items, {
        title: 'SOLAR: Start Run',
        placeHolder: 'Pick a run config (*.solar.json)',
      });
      if (!pick) return;
      file = pick.file ?? (await newRunConfig());
      if (!file || !pick.file) return; // a new config opens for review; start it from there
    }
    const dir = await this.controller.start(file);
    if (dir) this.metrics.follow(dir);
  }

  /** The runs a command acts on: its argument, else the tree selection, else a quick pick. */
  private async runFor(arg: unknown, title: string, eligible: (r: RunInfo) => boolean): Promise<RunInfo[]> {
    const given = runFromArg(this.store, arg);
    if (given) return [given];
    if (arg !== undefined && typeof arg !== 'object') {
      void vscode.window.showErrorMessage(`SOLAR: no run at ${String(arg)}.`);
      return [];
    }
    const selected = this.tree.selection.filter(eligible);
    if (selected.length && this.tree.view.visible) return [...selected];
    const candidates = this.store.all.filter(eligible);
    if (!candidates.length) {
      void vscode.window.showInformationMessage('SOLAR: no run to act on.');
      return [];
    }
    if (candidates.length === 1) return candidates;
    const pick = await vscode.window.showQuickPick(
      candidates.map((r) => ({ label: r.name, description: describeRun(r), detail: r.id, run: r })),
      { title },
    );
    return pick ? [pick.run] : [];
  }

  private async showLog(arg: unknown): Promise<void> {
    const run = runFromArg(this.store, arg);
    if (!run) return this.log.show(true);
    const file = [RUN_FILES.log, RUN_FILES.console].map((f) => path.join(run.dir, f)).find((f) => fs.existsSync(f));
    if (file) await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    else this.log.show(true);
  }

  private async installGpu(): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('SOLAR does not install packages in an untrusted workspace.');
      return;
    }
    try {
      await installGpuBackend(this.controller.gpuModulesDir, this.controller.nodeChoice(), this.log);
    } catch (e) {
      void vscode.window.showErrorMessage(`SOLAR: the GPU backend was not installed: ${(e as Error).message}`);
    }
  }

  private async reveal(arg: unknown): Promise<void> {
    const [run] = await this.runFor(arg, 'Reveal which run folder?', () => true);
    if (!run) return;
    const uri = vscode.Uri.file(run.dir);
    // Inside the workspace the Explorer works everywhere (also in a browser); else the OS.
    await vscode.commands.executeCommand(
      vscode.workspace.getWorkspaceFolder(uri) ? 'revealInExplorer' : 'revealFileInOS',
      uri,
    );
  }

  private async deleteRun(arg: unknown): Promise<void> {
    const runs = await this.runFor(arg, 'Delete which run?', (r) => !isActive(r.state));
    const run = runs[0];
    if (!run) return;
    if (isActive(run.state)) {
      void vscode.window.showWarningMessage(`Run ${run.id} is ${run.state}; stop it before deleting it.`);
      return;
    }
    const ok = await vscode.window.showWarningMessage(
      `Delete run ${run.id} and its checkpoints?`,
      { modal: true, detail: run.dir },
      'Delete',
    );
    if (ok !== 'Delete') return;
    fs.rmSync(run.dir, { recursive: true, force: true });
    this.log.info(`deleted run folder ${run.dir}`);
    this.store.refresh();
  }

  /**
   * The same comparison as `solar compare` (runs grouped by config, seeds as mean±std),
   * computed by the trainer program so there is one implementation, shown in the Compare
   * panel. `direct`: compare the runs selected in the tree without asking (two or more);
   * otherwise a quick pick with the selected runs already ticked.
   */
  private async compareRuns(arg: unknown, selected: unknown, direct: boolean): Promise<void> {
    const runs = this.store.all;
    const given = (Array.isArray(selected) ? selected : [arg])
      .map((a) => runFromArg(this.store, a))
      .filter((r): r is RunInfo => r !== undefined);
    const chosen = given.length ? given : this.tree.view.visible ? [...this.tree.selection] : [];
    if (direct && chosen.length >= 2) return this.comparePanels.compare(chosen.map((r) => r.dir));
    if (runs.length < 2) {
      void vscode.window.showInformationMessage('SOLAR: Compare Runs needs at least two runs.');
      return;
    }
    const ticked = new Set(chosen.map((r) => r.dir));
    const picks = await vscode.window.showQuickPick(
      runs.map((r) => ({
        label: r.name,
        description: describeRun(r),
        detail: r.id,
        run: r,
        picked: ticked.has(r.dir),
      })),
      {
        title: 'SOLAR: Compare Runs',
        canPickMany: true,
        placeHolder: 'Pick two or more runs (seeds of one config are grouped)',
      },
    );
    if (!picks || picks.length < 2) return;
    await this.comparePanels.compare(picks.map((p) => p.run.dir));
  }
}
