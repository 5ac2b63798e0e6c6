// The sidebar Metrics view: the followed run's status at a glance, with Stop / Resume /
// Show Log buttons that post a command back (the charts are in the Metrics panel).
import { formatAccuracy, formatDuration } from '../protocol/format';
import type { RunInfo } from '../protocol/runInfo';
import { HostToWebview } from '../protocol/webviewMessages';
import { h } from './dom';
import type { VsCodeApi } from './vscodeApi';

type Command = 'solar.stopRun' | 'solar.resumeRun' | 'solar.showLog';

export function startSidebarView(root: HTMLElement, vscode: VsCodeApi): void {
  const button = (label: string, command: Command, runDir: string): HTMLButtonElement => {
    const b = h('button', label);
    b.addEventListener('click', () => vscode.postMessage({ type: 'command', command, runDir }));
    return b;
  };

  const render = (run: RunInfo | null): void => {
    root.replaceChildren();
    if (!run) {
      root.append(h('p', 'No run selected. Start one with "SOLAR: Start Run…" or pick one in the Runs view.', 'muted'));
      return;
    }
    const title = h('h2', run.name);
    title.append(' ', h('span', run.state, `state state-${run.state}`));
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
    const dl = h('dl');
    for (const [k, v] of rows) if (v) dl.append(h('dt', k), h('dd', v));
    root.append(dl);
    const actions = h('div', undefined, 'actions');
    if (run.state === 'running' || run.state === 'starting') actions.append(button('Stop', 'solar.stopRun', run.dir));
    if (run.resumable) actions.append(button('Resume', 'solar.resumeRun', run.dir));
    actions.append(button('Show Log', 'solar.showLog', run.dir));
    root.append(actions);
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Validated here too: anything that is not a host message for this view is ignored.
    const r = HostToWebview.safeParse(event.data);
    if (r.success && r.data.type === 'run') render(r.data.run);
  });
}
