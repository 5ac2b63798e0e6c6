// The Metrics panel: an editor-area webview per run (Open Metrics), with the loss chart,
// eval accuracy and the similarity heatmap. One panel per run folder: opening a run
// that already has one reveals it. Each panel owns a MetricsFollower that sends a snapshot
// after the page's `ready`, then the appended events once a second; closing the panel
// disposes the follower and its timer. Panels survive a window reload: the page keeps its
// run folder in its webview state (panelView.ts, `runDir`), VS Code hands that state to the
// serializer registered here, and the panel reopens on the same run. The webview state,
// not the html: it is what VS Code persists with the panel and passes back on restore.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type ExportMessage, type HostToWebview, PanelRestoreState, WebviewToHost } from '../protocol/webviewMessages';
import { Disposable, toDisposable } from './disposable';
import { EvalFiles } from './evalFiles';
import { MetricsFollower } from './metricsFollower';
import type { RunStore } from './runStore';
import { webviewHtml, webviewRoots } from './webviewHtml';

const POLL_MS = 1000;

class MetricsPanel extends Disposable {
  static readonly viewType = 'solar.metricsPanel';
  readonly panel: vscode.WebviewPanel;
  private readonly follower: MetricsFollower;
  private readonly evalFiles: EvalFiles;
  /** An eval file for the Generations card to show (Evaluate Checkpoint), sent with the next list. */
  private selectEval?: string;
  /** Whether the page now shown has asked for the eval file list (a hidden panel's page is gone). */
  private listAsked = false;

  constructor(
    readonly runDir: string,
    extensionUri: vscode.Uri,
    store: RunStore,
    private readonly log: vscode.LogOutputChannel,
    /** A panel VS Code restored after a reload; else a new one is created. */
    restored?: vscode.WebviewPanel,
  ) {
    super();
    const title = `Metrics: ${store.get(runDir)?.name ?? path.basename(runDir)}`;
    const options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    this.panel =
      restored ?? vscode.window.createWebviewPanel(MetricsPanel.viewType, title, vscode.ViewColumn.Active, options);
    if (restored) {
      restored.title = title;
      restored.webview.options = options;
    }
    const webview = this.panel.webview;
    this.evalFiles = this.register(new EvalFiles(runDir, (msg) => void webview.postMessage(this.withSelect(msg))));
    this.follower = this.register(
      new MetricsFollower(
        runDir,
        () => store.get(runDir),
        (msg) => void webview.postMessage(msg),
      ),
    );
    this.register(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    this.register(
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.listAsked = false;
      }),
    );
    // The store fires when status.json changed; the timer catches events appended between.
    this.register(store.onDidChange(() => this.follower.poll()));
    const timer = setInterval(() => {
      this.follower.poll();
      this.evalFiles.poll();
    }, POLL_MS);
    this.register(toDisposable(() => clearInterval(timer)));
    webview.html = webviewHtml(webview, extensionUri, 'panel', title, ['webview.css', 'panel.css', 'generations.css']);
  }

  /** Show a saved evaluation in the Generations card: now if the page has its list, else with the list it asks for. */
  selectEvalFile(name: string): void {
    this.selectEval = name;
    if (this.listAsked) this.evalFiles.answer({ what: 'evalFiles' });
  }

  /** The pending selection rides on the first list that holds the file. */
  private withSelect(msg: HostToWebview): HostToWebview {
    const select = this.selectEval;
    if (msg.type !== 'evalFiles' || !select || !msg.files.some((f) => f.name === select)) return msg;
    this.selectEval = undefined;
    return { ...msg, select };
  }

  private receive(raw: unknown): void {
    const r = WebviewToHost.safeParse(raw);
    if (!r.success) {
      this.log.warn(`metrics panel sent an invalid message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg = r.data;
    // `ready` also comes again after the page reloads: it gets a fresh snapshot.
    if (msg.type === 'ready') {
      this.listAsked = false;
      this.evalFiles.reset();
      this.follower.snapshot();
    } else if (msg.type === 'request') {
      if (msg.request.what === 'evalFiles') this.listAsked = true;
      this.evalFiles.answer(msg.request);
    } else if (msg.type === 'command') void vscode.commands.executeCommand(msg.command, msg.runDir);
    else if (msg.type === 'export') void this.saveExport(msg);
  }

  /** Save an exported chart or the metrics CSV where the user says; the dialog starts in the run folder. */
  private async saveExport(msg: ExportMessage): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.runDir, msg.fileName)),
      filters: { [EXPORT_FILTERS[msg.format]]: [msg.format] },
      saveLabel: 'Export',
    });
    if (!target) return;
    // png data is base64 (ExportMessage checked it is a PNG); svg and csv are text.
    const bytes = Buffer.from(msg.data, msg.format === 'png' ? 'base64' : 'utf8');
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      this.log.info(`exported ${target.fsPath} (${bytes.length} bytes)`);
      vscode.window.setStatusBarMessage(`Saved ${path.basename(target.fsPath)}`, 4000);
    } catch (e) {
      void vscode.window.showErrorMessage(`Could not save ${target.fsPath}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

const EXPORT_FILTERS: Record<ExportMessage['format'], string> = { svg: 'SVG image', png: 'PNG image', csv: 'CSV' };

/** Every open Metrics panel, one per run folder. */
export class MetricsPanels extends Disposable {
  private readonly open = new Map<string, MetricsPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(toDisposable(() => [...this.open.values()].forEach((p) => p.panel.dispose())));
    this.register(
      vscode.window.registerWebviewPanelSerializer(MetricsPanel.viewType, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
    );
  }

  /** A panel open before the reload: reopen it on its run, or close it when that is gone. */
  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const r = PanelRestoreState.safeParse(state);
    const key = r.success ? path.resolve(r.data.runDir) : undefined;
    // The store is filled on activation; a run it does not list (deleted, or outside the
    // runs directories now) would never get a snapshot, so its panel is closed.
    const known = key !== undefined && (this.store.get(key) ?? this.store.refresh().find((x) => x.dir === key));
    if (!key || !known || this.open.has(key)) {
      if (!r.success) this.log.info('a Metrics panel without a saved run folder was closed after the reload');
      panel.dispose();
      return;
    }
    this.adopt(key, new MetricsPanel(key, this.extensionUri, this.store, this.log, panel));
  }

  /** Open the panel of `runDir`, or bring its open panel forward; `evalFile`: show that evaluation in Generations. */
  show(runDir: string, o: { evalFile?: string } = {}): void {
    const key = path.resolve(runDir);
    let p = this.open.get(key);
    if (p) p.panel.reveal();
    else {
      p = new MetricsPanel(key, this.extensionUri, this.store, this.log);
      this.adopt(key, p);
    }
    if (o.evalFile) p.selectEvalFile(o.evalFile);
  }

  private adopt(key: string, p: MetricsPanel): void {
    this.open.set(key, p);
    p.panel.onDidDispose(() => {
      this.open.delete(key);
      p.dispose();
    });
  }
}
