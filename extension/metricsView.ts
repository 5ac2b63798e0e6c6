// The Metrics view in the SOLAR sidebar: a webview that follows one run and shows it at a
// glance: its status, a loss sparkline, the latest accuracies and a small similarity
// heatmap (runGlance.ts reads them from metrics.jsonl); a click opens the run's Metrics
// panel (metricsPanel.ts), where the full charts are. Strict CSP and the shared page:
// webviewHtml.ts.
import * as vscode from 'vscode';
import { HostToWebview, WebviewToHost } from '../protocol/webviewMessages';
import { Disposable } from './disposable';
import { RunGlanceFollower } from './runGlance';
import type { RunStore } from './runStore';
import { webviewHtml, webviewRoots } from './webviewHtml';

export class MetricsView extends Disposable implements vscode.WebviewViewProvider {
  static readonly viewId = 'solar.metrics';
  private view?: vscode.WebviewView;
  private ready = false;
  private runDir?: string;
  private glance?: RunGlanceFollower;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(vscode.window.registerWebviewViewProvider(MetricsView.viewId, this));
    this.register(store.onDidChange(() => this.post()));
  }

  /** Follow `runDir` and bring the view forward. */
  async show(runDir: string): Promise<void> {
    this.runDir = runDir;
    this.post();
    await vscode.commands.executeCommand(`${MetricsView.viewId}.focus`);
  }

  follow(runDir: string | undefined): void {
    this.runDir = runDir;
    this.post();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'metrics', 'SOLAR Metrics');
    view.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw), undefined, []);
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
    });
  }

  private receive(raw: unknown): void {
    const r = WebviewToHost.safeParse(raw);
    if (!r.success) {
      this.log.warn(`metrics view sent an invalid message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg = r.data;
    if (msg.type === 'ready') {
      this.ready = true;
      this.glance = undefined; // a fresh page: its glance is read from the start
      this.post();
    } else if (msg.type === 'command') void vscode.commands.executeCommand(msg.command, msg.runDir);
  }

  private post(): void {
    if (!this.view || !this.ready) return;
    const run = this.runDir ? this.store.get(this.runDir) : (this.store.active ?? this.store.all[0]);
    // One follower for the shown run; another run starts reading its file from byte 0.
    if (run && this.glance?.runDir !== run.dir) this.glance = new RunGlanceFollower(run.dir);
    this.glance?.poll();
    const glance = run ? this.glance?.glance() : undefined;
    const msg: HostToWebview = HostToWebview.parse({ type: 'run', run: run ?? null, glance });
    void this.view.webview.postMessage(msg);
  }
}
