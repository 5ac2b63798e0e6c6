// The Runs view: one item per run folder, active runs first, then newest. Each run's
// description leads with what sets its config apart from the other listed runs (λ, model,
// data… only the fields that differ), then its state and step. The context value carries
// the state (and whether a checkpoint allows resuming) so package.json's menus show Stop
// only on active runs and Resume only where it can work. Several runs can be selected
// (Compare Selected Runs).
import * as vscode from 'vscode';
import { formatAccuracy, formatDuration } from '../protocol/format';
import { describeWithDifferences, keyDifferences, keySummary } from '../protocol/runDifferences';
import type { RunInfo } from '../protocol/runInfo';
import { Disposable } from './disposable';
import { describeRun } from './runInfo';
import type { RunStore } from './runStore';

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
  /** Run folder -> the labels of its key config fields that differ among the listed runs. */
  private differences = new Map<string, string[]>();

  constructor(private readonly store: RunStore) {
    super();
    this.view = this.register(
      vscode.window.createTreeView(RunsTree.viewId, {
        treeDataProvider: this,
        showCollapseAll: false,
        canSelectMany: true,
      }),
    );
    this.register(store.onDidChange(() => this.changed.fire(undefined)));
  }

  /** The runs selected in the tree (for palette commands run while the tree has focus). */
  get selection(): readonly RunInfo[] {
    return this.view.selection;
  }

  getChildren(element?: RunInfo): RunInfo[] {
    if (element) return [];
    const runs = this.store.all;
    const diffs = keyDifferences(runs.map((r) => r.keyConfig));
    this.differences = new Map(runs.map((r, i) => [r.dir, diffs[i]]));
    return runs;
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
    item.contextValue = `solarRun.${r.state}${r.resumable ? '.resumable' : ''}`;
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
