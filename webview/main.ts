// Browser entry point of the panels. For now the Metrics view placeholder: it shows the
// followed run's status (the metrics-panels issue replaces this with charts). It says
// `ready` first, so the host never posts into a page that is not listening yet.
import { formatAccuracy, formatDuration } from '../protocol/format';
import type { RunInfo } from '../protocol/runInfo';
import type { HostToWebview, WebviewToHost } from '../protocol/webviewMessages';

interface VsCodeApi {
  postMessage(msg: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function button(
  label: string,
  command: 'solar.stopRun' | 'solar.resumeRun' | 'solar.showLog',
  runDir: string,
): HTMLButtonElement {
  const b = el('button', label);
  b.addEventListener('click', () => vscode.postMessage({ type: 'command', command, runDir }));
  return b;
}

function render(run: RunInfo | null): void {
  root.replaceChildren();
  if (!run) {
    root.append(el('p', 'No run selected. Start one with "SOLAR: Start Run…" or pick one in the Runs view.', 'muted'));
    return;
  }
  const title = el('h2', run.name);
  title.append(' ', el('span', run.state, `state state-${run.state}`));
  root.append(title);
  const rows: [string, string | undefined][] = [
    ['Run', run.id],
    ['Step', run.totalSteps ? `${run.step} / ${run.totalSteps}` : String(run.step)],
    ['Loss', run.loss?.toFixed(4)],
    ['ETA', run.state === 'running' ? formatDuration(run.etaSec) : undefined],
    ['Best accuracy', run.bestAccuracy === undefined ? undefined : formatAccuracy(run.bestAccuracy)],
    ['Backend', run.backend ? `${run.backend}${run.device ? ` (${run.device})` : ''}` : undefined],
    ['Checkpoint', run.lastCheckpoint],
    ['Message', run.message],
  ];
  const dl = el('dl');
  for (const [k, v] of rows) if (v) dl.append(el('dt', k), el('dd', v));
  root.append(dl);
  const actions = el('div', undefined, 'actions');
  if (run.state === 'running' || run.state === 'starting') actions.append(button('Stop', 'solar.stopRun', run.dir));
  if (run.resumable) actions.append(button('Resume', 'solar.resumeRun', run.dir));
  actions.append(button('Show Log', 'solar.showLog', run.dir));
  root.append(actions);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = event.data as HostToWebview | null;
  // The host validated it; this only guards against messages from elsewhere.
  if (msg && typeof msg === 'object' && msg.type === 'run') render(msg.run);
});

vscode.postMessage({ type: 'ready' });
