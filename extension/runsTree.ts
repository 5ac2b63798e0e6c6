// The Runs view: one item per run folder, newest first (or by name, or by best accuracy),
// narrowed by the user's filter (states, words); sort and filter are kept in
// workspaceState (runsOrder.ts) and shown in the view's description and message. Each
// run's description leads with what sets its config apart from the other runs (λ, model,
// data… only the fields that differ), then its state and step; the key figures are in the
// tooltip. The context value carries the state (and whether a checkpoint allows resuming or
// evaluating) so package.json's menus show Stop only on active runs, Resume and Evaluate
// Checkpoint only where they can work. Several runs can be selected (Compare Selected Runs).
import * as vscode from 'vscode';
import { formatAccuracy, formatDuration } from '../protocol/format';
import { describeWithDifferences, keyDifferences, keySummary } from '../protocol/runDifferences';
import { describeModel, type RunInfo } from '../protocol/runInfo';
import { Disposable } from './disposable';
import { describeRun } from './runInfo';
import type { RunStore } from './runStore';
import {
  arrangeRuns,
  describeFilter,
  isFiltered,
  loadRunsViewState,
  type RunsViewState,
  SORT_LABELS,
} from './runsOrder';

/** The workspaceState key of the tree's sort and filter. */
const VIEW_STATE_KEY = 'solar.runsView';
/** The context key package.json's `when` clauses read: a filter hides runs (filled icon, Clear). */
const FILTERED_CONTEXT = 'solar.runsFiltered';

const ICONS: Record<RunInfo['state'], [string, string?]> = {
  starting: ['loading~spin'],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  stopped: ['debug-pause', 'charts.yellow'],
  failed: ['error', 'testing.iconFailed'],
};

export function runFromArg(store: RunStore, arg: unknown): RunInfo | undefined {
  if (typeof arg === 'string') return store.get(arg);
  if (arg && typeof arg === 'object' && typeof (arg as { dir?: unknown }).dir === 'string')
    return store.get((arg as { dir: string }).dir);
  if (arg instanceof vscode.Uri) return store.get(arg.fsPath);
  return undefined;
}

export class RunsTree extends Disposable implements vscode.TreeDataProvider<RunInfo> {
  static readonly viewId = 'solar.runs';
  private readonly changed = this.register(new vscode.EventEmitter<RunInfo | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<RunInfo>;
  /** Run folder -> the labels of its key config fields that differ among the runs. */
  private differences = new Map<string, string[]>();
  private state: RunsViewState;

  constructor(
    private readonly store: RunStore,
    /** The workspace's memento (context.workspaceState): sort and filter per workspace. */
    private readonly memento: vscode.Memento,
  ) {
    super();
    this.state = loadRunsViewState(memento.get(VIEW_STATE_KEY));
    this.view = this.register(
      vscode.window.createTreeView(RunsTree.viewId, {
        treeDataProvider: this,
        showCollapseAll: false,
        canSelectMany: true,
      }),
    );
    this.register(store.onDidChange(() => this.changed.fire(undefined)));
    this.showViewState();
  }

  /** The sort and filter in use. */
  get viewState(): Readonly<RunsViewState> {
    return this.state;
  }

  /** Change the sort or filter: saved for the workspace and applied at once. */
  async setViewState(patch: Partial<RunsViewState>): Promise<void> {
    this.state = { ...this.state, ...patch };
    this.changed.fire(undefined);
    this.showViewState();
    await this.memento.update(VIEW_STATE_KEY, this.state);
  }

  /** The view's description (a sort other than newest first) and the context key; getChildren sets the message. */
  private showViewState(): void {
    this.view.description =
      this.state.sort === 'newest' ? undefined : `by ${SORT_LABELS[this.state.sort].toLowerCase()}`;
    void vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, isFiltered(this.state));
  }

  /** The runs selected in the tree (for palette commands run while the tree has focus). */
  get selection(): readonly RunInfo[] {
    return this.view.selection;
  }

  getChildren(element?: RunInfo): RunInfo[] {
    if (element) return [];
    // Differences among all runs, not only the shown ones: a description does not change
    // with the filter.
    const runs = this.store.all;
    const diffs = keyDifferences(runs.map((r) => r.keyConfig));
    this.differences = new Map(runs.map((r, i) => [r.dir, diffs[i]]));
    const shown = arrangeRuns(runs, this.state);
    this.view.message = describeFilter(this.state, shown.length, runs.length);
    return shown;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(r: RunInfo): vscode.TreeItem {
    const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.None);
    item.id = r.dir;
    item.description = describeWithDifferences(this.differences.get(r.dir) ?? [], r);
    const [icon, color] = ICONS[r.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    // `.checkpoint`: something to evaluate; `.resumable` stays last (menus match it at the end).
    item.contextValue = `solarRun.${r.state}${r.checkpoints.length ? '.checkpoint' : ''}${r.resumable ? '.resumable' : ''}`;
    item.resourceUri = vscode.Uri.file(r.dir);
    const diffs = this.differences.get(r.dir) ?? [];
    item.accessibilityInformation = { label: `${r.name}, ${[...diffs, describeRun(r)].join(' · ')}` };
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${r.id}** — ${r.state}\n\n`);
    const lines: [string, string | undefined][] = [
      ['step', r.totalSteps ? `${r.step} / ${r.totalSteps}` : undefined],
      ['loss', r.loss?.toFixed(4)],
      ['ETA', r.state === 'running' ? formatDuration(r.etaSec) : undefined],
      ['best accuracy', r.bestAccuracy === undefined ? undefined : formatAccuracy(r.bestAccuracy)],
      ['model', describeModel(r)],
      ['config', r.keyConfig ? keySummary(r.keyConfig) : undefined],
      ['backend', r.backend ? `${r.backend} (${r.device ?? '?'})` : undefined],
      ['started', r.startedAt],
      ['checkpoint', r.lastCheckpoint],
      ['message', r.message],
    ];
    for (const [k, v] of lines) if (v) md.appendText(`${k}: ${v}\n`).appendMarkdown('\n');
    item.tooltip = md;
    item.command = { command: 'solar.showRunInSidebar', title: 'Show Run', arguments: [r.dir] };
    return item;
  }
}
