// The VS Code extension host entry point: it wires one object per VS Code concept (runs
// store, Runs tree, Metrics view and panels, status bar, controller, commands) and owns them. Cheap
// on purpose: no process is started and nothing heavy is loaded until a command runs;
// the trainer is a separate process (dist/trainer.js), so tfjs never loads here.
import * as vscode from 'vscode';
import { Commands } from './commands';
import { ComparePanels } from './comparePanel';
import { DatasetCommands } from './datasetCommands';
import { DatasetDiagnostics } from './datasetDiagnostics';
import { DatasetEditorProvider } from './datasetEditor/datasetEditorProvider';
import { DatasetScoring } from './datasetEditor/datasetScoring';
import { Disposable } from './disposable';
import { CheckpointEvaluator } from './evaluateCheckpoint';
import { MetricsPanels } from './metricsPanel';
import { MetricsView } from './metricsView';
import { RunController } from './runController';
import { RunStore } from './runStore';
import { RunsTree } from './runsTree';
import { runsDirs } from './settings';
import { RunStatusBar } from './statusBar';

class Extension extends Disposable {
  constructor(context: vscode.ExtensionContext) {
    super();
    const log = this.register(vscode.window.createOutputChannel('SOLAR Trainer', { log: true }));
    const store = this.register(new RunStore(() => runsDirs()));
    const tree = this.register(new RunsTree(store, context.workspaceState));
    const metrics = this.register(new MetricsView(context.extensionUri, store, log));
    const panels = this.register(new MetricsPanels(context.extensionUri, store, log));
    this.register(new RunStatusBar(store));
    const controller = this.register(new RunController(context, store, log));
    const compare = this.register(new ComparePanels(context.extensionUri, controller, log));
    const evaluator = this.register(new CheckpointEvaluator(controller, panels, log));
    this.register(new Commands(store, tree, controller, metrics, panels, log, compare, evaluator));
    const datasets = this.register(new DatasetEditorProvider(context.extensionUri, log));
    this.register(new DatasetScoring(store, controller, () => datasets.openSessions, log));
    this.register(new DatasetDiagnostics());
    this.register(new DatasetCommands(controller, log));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('solar') && store.refresh()));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => store.refresh()));
    store.refresh();
  }
}

let extension: Extension | undefined;

export function activate(context: vscode.ExtensionContext): void {
  extension = new Extension(context);
  context.subscriptions.push(extension);
}

export function deactivate(): void {
  extension?.dispose();
  extension = undefined;
}
