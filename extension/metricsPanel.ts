// The Metrics panel: an editor-area webview per run (Open Metrics), with the loss chart,
// eval accuracy and the similarity heatmap. One panel per run folder: opening a run
// that already has one reveals it. Each panel owns a MetricsFollower that sends a snapshot
// after the page's `ready`, then the appended events once a second; closing the panel
// disposes the follower and its timer.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WebviewToHost } from '../protocol/webviewMessages';
import { Disposable, toDisposable } from './disposable';
import { MetricsFollower } from './metricsFollower';
import type { RunStore } from './runStore';
import { webviewHtml, webviewRoots } from './webviewHtml';

const POLL_MS = 1000;

class MetricsPanel extends Disposable {
  static readonly viewType = 'solar.metricsPanel';
  readonly panel: vscode.WebviewPanel;
  private readonly follower: MetricsFollower;

  constructor(
    readonly runDir: string,
    extensionUri: vscode.Uri,
    store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    const title = `Metrics: ${store.get(runDir)?.name ?? path.basename(runDir)}`;
    this.panel = vscode.window.createWebviewPanel(MetricsPanel.viewType, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewRoots(extensionUri),
    });
    const webview = this.panel.webview;
    this.follower = this.register(
      new MetricsFollower(
        runDir,
        () => store.get(runDir),
        (msg) => void webview.postMessage(msg),
      ),
    );
    this.register(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    // The store fires when status.json changed; the timer catches events appended between.
    this.register(store.onDidChange(() => this.follower.poll()));
    const timer = setInterval(() => this.follower.poll(), POLL_MS);
    this.register(toDisposable(() => clearInterval(timer)));
    webview.html = webviewHtml(webview, extensionUri, 'panel', title, ['webview.css', 'panel.css']);
  }

  private receive(raw: unknown): void {
    const r = WebviewToHost.safeParse(raw);
    if (!r.success) {
      this.log.warn(`metrics panel sent an invalid message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg = r.data;
    // `ready` also comes again after the page reloads: it gets a fresh snapshot.
    if (msg.type === 'ready') this.follower.snapshot();
    else void vscode.commands.executeCommand(msg.command, msg.runDir);
  }
}

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
  }

  /** Open the panel of `runDir`, or bring its open panel forward. */
  show(runDir: string): void {
    const key = path.resolve(runDir);
    const existing = this.open.get(key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const p = new MetricsPanel(key, this.extensionUri, this.store, this.log);
    this.open.set(key, p);
    p.panel.onDidDispose(() => {
      this.open.delete(key);
      p.dispose();
    });
  }
}
