// The sidebar Metrics view: the followed run at a glance: state, step, a loss sparkline,
// the latest mean and low-resource accuracy, a small similarity heatmap, and Open Metrics /
// Stop / Resume / Show Log buttons that post a command back. A click on a drawing opens
// the run's Metrics panel too, where the full charts are.
import { formatAccuracy, formatDuration } from '../protocol/format';
import { describeModel, type RunInfo } from '../protocol/runInfo';
import { HostToWebview, type RunGlance, type WebviewToHost } from '../protocol/webviewMessages';
import { button as controlButton, type VscodeButton } from './controls';
import { h } from './dom';
import { lossSparkline, miniHeatmap } from './sidebarGlance';
import type { VsCodeApi } from './vscodeApi';

type Command = Extract<WebviewToHost, { type: 'command' }>['command'];

export function startSidebarView(root: HTMLElement, vscode: VsCodeApi): void {
  const send = (command: Command, runDir: string) => vscode.postMessage({ type: 'command', command, runDir });
  const button = (label: string, command: Command, runDir: string, secondary = false): VscodeButton => {
    const b = controlButton(label, undefined, {}, secondary);
    b.addEventListener('click', () => send(command, runDir));
    return b;
  };
  /** A drawing as a button: keyboard reachable, and it says what a click does. */
  const opener = (drawing: Element, runDir: string, cls: string): HTMLButtonElement => {
    const what = drawing.getAttribute('aria-label');
    const b = h('button', undefined, `glance-open ${cls}`, {
      title: 'Open the Metrics panel',
      'aria-label': `Open the Metrics panel${what ? `: ${what}` : ''}`,
    });
    b.append(drawing);
    b.addEventListener('click', () => send('solar.openMetrics', runDir));
    return b;
  };

  const render = (run: RunInfo | null, glance: RunGlance | undefined): void => {
    root.replaceChildren();
    if (!run) {
      root.append(h('p', 'No run selected. Start one with "SOLAR: Start Run…" or pick one in the Runs view.', 'muted'));
      return;
    }
    const title = h('h2', run.name);
    title.append(' ', h('span', run.state, `state state-${run.state}`));
    root.append(title);
    const spark = glance && lossSparkline(glance.loss);
    if (spark) {
      const first = Math.round(glance.loss[0].step);
      const lastStep = Math.round(glance.loss[glance.loss.length - 1].step);
      const figure = h('figure', undefined, 'glance-figure');
      figure.append(
        opener(spark, run.dir, 'glance-loss'),
        h('figcaption', `Training loss, steps ${first}–${lastStep}`, 'muted'),
      );
      root.append(figure);
    }
    const last = glance?.lastEval;
    const evalAt = last ? ` (step ${last.step})` : '';
    const rows: [string, string | undefined][] = [
      ['Run', run.id],
      ['Model', describeModel(run)],
      ['Step', run.totalSteps ? `${run.step} / ${run.totalSteps}` : String(run.step)],
      ['Loss', run.loss?.toFixed(4)],
      ['ETA', run.state === 'running' ? formatDuration(run.etaSec) : undefined],
      ['Mean accuracy', last?.accuracyMean === undefined ? undefined : formatAccuracy(last.accuracyMean) + evalAt],
      [
        'Low-resource',
        last?.accuracyLowResource === undefined ? undefined : formatAccuracy(last.accuracyLowResource) + evalAt,
      ],
      ['Best accuracy', run.bestAccuracy === undefined ? undefined : formatAccuracy(run.bestAccuracy)],
      ['Backend', run.backend ? `${run.backend}${run.device ? ` (${run.device})` : ''}` : undefined],
      ['Checkpoint', run.lastCheckpoint],
      ['Message', run.message],
    ];
    const dl = h('dl');
    for (const [k, v] of rows) if (v) dl.append(h('dt', k), h('dd', v));
    root.append(dl);
    if (last?.similarity && last.similarity.languages.length > 1) {
      const figure = h('figure', undefined, 'glance-figure');
      figure.append(
        opener(miniHeatmap(last.similarity, last.step), run.dir, 'glance-sim'),
        h('figcaption', `Similarity between languages, step ${last.step}`, 'muted'),
      );
      root.append(figure);
    }
    const actions = h('div', undefined, 'actions');
    actions.append(button('Open Metrics', 'solar.openMetrics', run.dir));
    if (run.state === 'running' || run.state === 'starting') actions.append(button('Stop', 'solar.stopRun', run.dir));
    if (run.resumable) actions.append(button('Resume', 'solar.resumeRun', run.dir));
    actions.append(button('Show Log', 'solar.showLog', run.dir, true));
    root.append(actions);
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Validated here too: anything that is not a host message for this view is ignored.
    const r = HostToWebview.safeParse(event.data);
    if (r.success && r.data.type === 'run') render(r.data.run, r.data.glance);
  });
}
