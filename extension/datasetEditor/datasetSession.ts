// One open dataset grid: a webview showing one TextDocument. The document is the single
// source of truth. The page's actions become WorkspaceEdits (undo, redo, dirty state, save
// and hot exit are VS Code's); every document change, from the grid, the text view or the
// disk (git checkout), comes back as a `rows` delta of the lines that changed, so the grid
// keeps its scroll position and the page never holds text the document does not.
// A model's scores of the file (the sidecar `solar data score` writes next to it) follow
// the snapshot, and again whenever the sidecar changes on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TextChange } from '../../protocol/datasetEdits';
import { DatasetToHost, type HostToDataset } from '../../protocol/datasetMessages';
import type { DatasetScores } from '../../protocol/datasetScores';
import { readScores, sidecarPath } from '../../protocol/datasetScoresFile';
import { Disposable, toDisposable } from '../disposable';
import { webviewHtml, webviewRoots } from '../webviewHtml';
import { DatasetRows } from './datasetRows';
import { type EditableLines, planAction } from './editPlan';

/** Changes are gathered this long before one delta is sent (a burst of keystrokes in the text view). */
const DELTA_MS = 40;

export class DatasetSession extends Disposable {
  private rows: DatasetRows;
  private ready = false;
  /** First line touched since the last delta; undefined: nothing pending. */
  private dirtyFrom: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private focus: number | undefined;
  /** Whether the page holds scores (so a removed sidecar is cleared there). */
  private scoresShown = false;
  private scoring: { running: boolean; message?: string } = { running: false };

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly pivot: () => string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.rows = new DatasetRows(pivot());
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    this.register(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== document || !e.contentChanges.length) return;
        const from = Math.min(...e.contentChanges.map((c) => c.range.start.line));
        this.dirtyFrom = Math.min(this.dirtyFrom ?? from, from);
        this.timer ??= setTimeout(() => this.flush(), DELTA_MS);
      }),
    );
    this.register(toDisposable(() => clearTimeout(this.timer)));
    // The sidecar may be written from a terminal too (`solar data score`): follow it.
    const sidecar = vscode.Uri.file(sidecarPath(document.uri.fsPath));
    const watcher = this.register(
      vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(path.dirname(sidecar.fsPath)), path.basename(sidecar.fsPath)),
      ),
    );
    for (const on of [watcher.onDidCreate, watcher.onDidChange, watcher.onDidDelete])
      this.register(on(() => this.loadScores()));
    webview.html = webviewHtml(webview, extensionUri, 'dataset', path.basename(document.fileName), [
      'webview.css',
      'dataset.css',
    ]);
  }

  /** The pivot setting changed: the checks depend on it, so the page gets a fresh snapshot. */
  refresh(): void {
    this.rows = new DatasetRows(this.pivot());
    if (this.ready) this.snapshot();
  }

  private lines(): EditableLines {
    const doc = this.document;
    return {
      length: doc.lineCount,
      at: (i) => (i >= 0 && i < doc.lineCount ? doc.lineAt(i).text : undefined),
      eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
    };
  }

  get uri(): vscode.Uri {
    return this.document.uri;
  }

  private post(msg: HostToDataset): void {
    void this.panel.webview.postMessage(msg);
  }

  /** Read the sidecar next to the file (if any) and show its scores; an unreadable one is said, not shown. */
  loadScores(): void {
    if (!this.ready || this.isDisposed) return;
    const file = sidecarPath(this.document.uri.fsPath);
    let scores: DatasetScores | null = null;
    if (fs.existsSync(file)) {
      try {
        scores = readScores(file);
      } catch (e) {
        this.log.warn(`dataset scores: ${(e as Error).message}`);
        this.post({ type: 'notice', message: `The scores next to this file cannot be read: ${(e as Error).message}` });
      }
    }
    if (!scores && !this.scoresShown) return;
    this.scoresShown = scores !== null;
    this.post({ type: 'scores', scores });
  }

  /** A scoring of this file started, progressed or ended (the page shows it and disables its button). */
  setScoring(running: boolean, message?: string): void {
    this.scoring = { running, ...(message ? { message } : {}) };
    if (this.ready && !this.isDisposed) this.post({ type: 'scoring', ...this.scoring });
  }

  private snapshot(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dirtyFrom = undefined;
    const { rows, fileProblems } = this.rows.reset(this.lines());
    this.post({
      type: 'snapshot',
      file: path.basename(this.document.fileName),
      pivot: this.rows.pivot,
      rows,
      fileProblems,
    });
  }

  private flush(): void {
    this.timer = undefined;
    const from = this.dirtyFrom;
    this.dirtyFrom = undefined;
    if (from === undefined || !this.ready || this.isDisposed) return;
    const delta = this.rows.update(this.lines(), from);
    const focus = this.focus;
    this.focus = undefined;
    if (delta) this.post({ type: 'rows', ...delta, ...(focus === undefined ? {} : { focus }) });
  }

  private async receive(raw: unknown): Promise<void> {
    const r = DatasetToHost.safeParse(raw);
    if (!r.success) {
      this.log.warn(`dataset editor sent an invalid message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg = r.data;
    // `ready` comes again whenever the page is rebuilt (the tab was hidden): a fresh snapshot.
    if (msg.type === 'ready') {
      this.ready = true;
      this.snapshot();
      this.scoresShown = false;
      this.loadScores();
      if (this.scoring.running) this.post({ type: 'scoring', ...this.scoring });
      return;
    }
    if (msg.type === 'score') {
      await vscode.commands.executeCommand('solar.scoreDataset', this.document.uri, {
        changedOnly: msg.changedOnly === true,
      });
      return;
    }
    if (msg.type === 'reveal') {
      const pos = new vscode.Position(msg.index, msg.column ?? 0);
      await vscode.window.showTextDocument(this.document, {
        viewColumn: this.panel.viewColumn,
        selection: new vscode.Range(pos, pos),
      });
      return;
    }
    const plan = planAction(msg, this.lines(), (t) => this.rows.idOf(t), this.rows.pivot);
    if (!plan) return;
    if ('notice' in plan) {
      this.post({ type: 'notice', message: plan.notice });
      return;
    }
    this.focus = plan.focus;
    if (!(await this.apply(plan.change))) {
      this.focus = undefined;
      this.post({ type: 'notice', message: 'VS Code did not apply the edit (is the file read-only?).' });
    }
  }

  private apply(change: TextChange): Thenable<boolean> {
    const edit = new vscode.WorkspaceEdit();
    const range = new vscode.Range(change.start.line, change.start.character, change.end.line, change.end.character);
    edit.replace(this.document.uri, range, change.text);
    return vscode.workspace.applyEdit(edit);
  }
}
