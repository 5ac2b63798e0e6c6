// The Compare Runs panel: one editor-area webview, reused by every comparison (a new
// comparison replaces the shown one rather than piling up editors). The host runs
// `solar compare --json` in the background (compareRunner.ts), validates the report, and
// posts it as a `snapshot` once the page has said `ready` (again after every `ready`: a
// hidden panel's page is reloaded when it shows again). The page can ask for a refresh
// (re-run on the same runs) and for a compared run's Metrics panel. After a window reload
// the panel comes back (WebviewPanelSerializer): the page kept the compared run folders
// with setState, and they are compared again.
import * as vscode from 'vscode';
import { CompareHostToWebview, CompareRestoreState, CompareWebviewToHost } from '../protocol/compareMessages';
import type { CompareReport } from '../protocol/compareReport';
import { type CompareOutcome, compareArgs, runCompare } from './compareRunner';
import { Disposable, toDisposable } from './disposable';
import { showTrainerError } from './errorNotice';
import type { NodeChoice } from './nodeRuntime';
import { webviewHtml, webviewRoots } from './webviewHtml';

const VIEW_TYPE = 'solar.comparePanel';

/** What Compare Runs needs of the RunController: the trainer program and the Node to run it. */
export interface TrainerHost {
  readonly trainerJs: string;
  nodeChoice(): NodeChoice;
}

interface Shown {
  dirs: string[];
  report: CompareReport;
  comparedAt: string;
}

function title(report: CompareReport): string {
  return `Compare: ${report.groups.map((g) => g.label).join(' vs ')}`;
}

class ComparePanel extends Disposable {
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    /** What is shown; undefined while a restored panel waits for its comparison. */
    private shown: Shown | undefined,
    private readonly refresh: (dirs: string[]) => Promise<CompareOutcome | undefined>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    this.register(webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)));
    webview.html = webviewHtml(webview, extensionUri, 'compare', 'Compare Runs', [
      'webview.css',
      'panel.css',
      'compare.css',
    ]);
  }

  /** Show another comparison in this panel. */
  show(shown: Shown): void {
    this.shown = shown;
    this.panel.title = title(shown.report);
    this.postSnapshot();
    this.panel.reveal();
  }

  /** Tell the page that a comparison is under way, done, or failed (the last one stays shown). */
  progress(state: 'comparing' | 'failed' | 'done', message?: string): void {
    this.post({ type: 'progress', state, ...(message ? { message } : {}) });
  }

  private post(msg: CompareHostToWebview): void {
    if (this.ready && !this.isDisposed) void this.panel.webview.postMessage(CompareHostToWebview.parse(msg));
  }

  private postSnapshot(): void {
    if (this.shown) this.post({ type: 'snapshot', report: this.shown.report, comparedAt: this.shown.comparedAt });
  }

  private async receive(raw: unknown): Promise<void> {
    const r = CompareWebviewToHost.safeParse(raw);
    if (!r.success) {
      this.log.warn(`compare panel sent an invalid message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    const msg = r.data;
    if (msg.type === 'ready') {
      this.ready = true;
      this.postSnapshot();
    } else if (msg.type === 'openMetrics') {
      // Only a run of this comparison: the page is not trusted to name arbitrary folders.
      if (this.shown?.report.groups.some((g) => g.runs.includes(msg.runDir)))
        void vscode.commands.executeCommand('solar.openMetrics', msg.runDir);
    } else if (this.shown) {
      const { dirs } = this.shown;
      this.progress('comparing');
      const out = await this.refresh(dirs);
      if (out?.ok) this.show({ dirs, report: out.report, comparedAt: new Date().toISOString() });
      else if (out && !out.cancelled) this.progress('failed', out.message);
      else this.progress('done');
    }
  }
}

/** Compare Runs: runs the comparison and shows it in the (one) Compare panel. */
export class ComparePanels extends Disposable {
  private current?: ComparePanel;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly trainer: TrainerHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(toDisposable(() => this.current?.panel.dispose()));
    this.register(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
    );
  }

  /** Compare the run folders given (two or more) and show the result. */
  async compare(dirs: string[]): Promise<void> {
    const out = await this.run(dirs);
    if (!out?.ok) return;
    const shown = { dirs, report: out.report, comparedAt: new Date().toISOString() };
    if (this.current) this.current.show(shown);
    else this.adopt(vscode.window.createWebviewPanel(VIEW_TYPE, title(out.report), vscode.ViewColumn.Active), shown);
  }

  private adopt(panel: vscode.WebviewPanel, shown: Shown | undefined): ComparePanel {
    this.current?.panel.dispose(); // one Compare panel: a restored one replaces any other
    const p = new ComparePanel(panel, this.extensionUri, shown, (d) => this.run(d), this.log);
    this.current = p;
    panel.onDidDispose(() => {
      if (this.current === p) this.current = undefined;
      p.dispose();
    });
    return p;
  }

  /** A Compare panel open before the reload: compare its runs again, or close it. */
  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const r = CompareRestoreState.safeParse(state);
    if (!r.success) {
      panel.dispose();
      return;
    }
    const p = this.adopt(panel, undefined);
    const { dirs } = r.data;
    const out = await this.run(dirs);
    if (out?.ok) p.show({ dirs, report: out.report, comparedAt: new Date().toISOString() });
    else p.progress('failed', out?.message ?? 'the comparison could not run');
  }

  /** Run `solar compare --json` with a cancellable notification; errors are shown here. */
  private async run(dirs: string[]): Promise<CompareOutcome | undefined> {
    let node: NodeChoice;
    try {
      node = this.trainer.nodeChoice();
    } catch (e) {
      void vscode.window.showErrorMessage(`SOLAR: ${(e as Error).message}`);
      return undefined;
    }
    this.log.info(`compare: ${node.command} ${compareArgs(this.trainer.trainerJs, dirs).join(' ')}`);
    const out = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `SOLAR: comparing ${dirs.length} runs…`,
        cancellable: true,
      },
      (_progress, token) => runCompare(node, this.trainer.trainerJs, dirs, { token }),
    );
    if (out.ok) {
      for (const w of out.warnings) this.log.warn(w);
    } else if (!out.cancelled) {
      this.log.error(`compare failed: ${out.message}\n${out.stderr}`);
      void showTrainerError('SOLAR: Compare Runs failed', out.message, this.log);
    }
    return out;
  }
}
