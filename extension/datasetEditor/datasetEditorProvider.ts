// The dataset editor: `*.parallel.jsonl` files open as a grid (package.json
// `customEditors`, priority default), a CustomTextEditorProvider, so VS Code keeps the
// TextDocument and the grid only proposes edits to it. "Reopen Editor With… > Text
// Editor" stays available, and two commands switch between the views.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../disposable';
import { DatasetSession } from './datasetSession';

export const DATASET_EDITOR = 'solar.datasetEditor';

/** The pivot the checks and the grid use: the `solar.dataset.pivot` setting of the file's folder. */
export function datasetPivot(uri: vscode.Uri): string {
  return vscode.workspace.getConfiguration('solar', uri).get<string>('dataset.pivot', 'en') || 'en';
}

export class DatasetEditorProvider extends Disposable implements vscode.CustomTextEditorProvider {
  private readonly sessions = new Set<DatasetSession>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(
      vscode.window.registerCustomEditorProvider(DATASET_EDITOR, this, {
        // Not retained when hidden: the page asks again with `ready` and gets a snapshot,
        // and keeps its filters and scroll position with setState.
        supportsMultipleEditorsPerDocument: true,
      }),
    );
    this.register(
      vscode.commands.registerCommand('solar.openDatasetEditor', (uri?: vscode.Uri) =>
        this.reopen(uri, DATASET_EDITOR),
      ),
    );
    this.register(
      vscode.commands.registerCommand('solar.reopenDatasetAsText', (uri?: vscode.Uri) => this.reopen(uri, 'default')),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('solar.dataset.pivot')) for (const s of this.sessions) s.refresh();
      }),
    );
    this.register(toDisposable(() => [...this.sessions].forEach((s) => s.dispose())));
  }

  /** The grids open now (datasetScoring.ts shows a file's scores in each of its grids). */
  get openSessions(): Iterable<DatasetSession> {
    return this.sessions;
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const session = new DatasetSession(document, panel, this.extensionUri, () => datasetPivot(document.uri), this.log);
    this.sessions.add(session);
    panel.onDidDispose(() => {
      this.sessions.delete(session);
      session.dispose();
    });
  }

  /**
   * Reopen `uri` (else the active tab's file) with the grid or the text editor, in the
   * place of the active tab when that shows the same file the other way (as VS Code's
   * "Reopen Editor With…" does; the document stays open, so nothing unsaved is lost).
   */
  private async reopen(uri: vscode.Uri | undefined, viewType: string): Promise<void> {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    const target = uri ?? tabUri(tab) ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) {
      void vscode.window.showInformationMessage('Open a *.parallel.jsonl file first.');
      return;
    }
    await vscode.commands.executeCommand('vscode.openWith', target, viewType, tab?.group.viewColumn);
    const wasOther =
      viewType === DATASET_EDITOR
        ? tab?.input instanceof vscode.TabInputText
        : tab?.input instanceof vscode.TabInputCustom;
    if (tab && wasOther && tabUri(tab)?.toString() === target.toString())
      await vscode.window.tabGroups.close(tab, true);
  }
}

/** The file a tab shows, text editor or custom editor alike. */
function tabUri(tab: vscode.Tab | undefined): vscode.Uri | undefined {
  const input = tab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return undefined;
}
