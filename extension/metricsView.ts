// The Metrics view in the SOLAR sidebar: a webview that follows one run. Here it is a
// placeholder showing the run's status (the metrics-panels issue fills it). Strict CSP:
// nothing inline, the script is dist/webview.js with a nonce, styles from media/.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { HostToWebview, WebviewToHost } from '../protocol/webviewMessages';
import { Disposable } from './disposable';
import type { RunStore } from './runStore';

export class MetricsView extends Disposable implements vscode.WebviewViewProvider {
  static readonly viewId = 'solar.metrics';
  private view?: vscode.WebviewView;
  private ready = false;
  private runDir?: string;

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
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    view.webview.html = this.html(view.webview);
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
      this.post();
    } else void vscode.commands.executeCommand(msg.command, msg.runDir);
  }

  private post(): void {
    if (!this.view || !this.ready) return;
    const run = this.runDir ? this.store.get(this.runDir) : (this.store.active ?? this.store.all[0]);
    const msg: HostToWebview = HostToWebview.parse({ type: 'run', run: run ?? null });
    void this.view.webview.postMessage(msg);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'webview.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>SOLAR Metrics</title>
</head>
<body>
<main id="root" data-view="metrics"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }
}
