// The Compare Runs panel in the browser: the groups (legend, runs, unfinished marks), the
// training and accuracy curves of every group overlaid (mean over seeds, ± std band), and
// the accuracy and delta tables. A `snapshot` replaces the comparison; the charts are built
// once, and the user's choices (hidden groups, training metric, smoothing) are kept with
// setState so they survive a refresh and the page being reloaded.
import { CompareHostToWebview, type CompareWebviewToHost } from '../../protocol/compareMessages';
import type { CompareReport } from '../../protocol/compareReport';
import { button, select } from '../controls';
import { h } from '../dom';
import { formatValue, seriesColour } from '../panel/scales';
import type { VsCodeApi } from '../vscodeApi';
import { accuracyTable, deltaTable } from './compareTables';
import { CurveChart, type GroupCurve } from './curveChart';
import { groupList } from './groupList';

const TRAIN_METRICS = {
  ce: { title: 'Training CE, mean over languages (nats/token)', option: 'CE (comparable across λ)' },
  loss: { title: 'Training loss, CE + λ·align', option: 'Loss (what each run optimises)' },
} as const;
type TrainMetric = keyof typeof TRAIN_METRICS;

/** The user's choices, plus the compared folders (CompareRestoreState: the host reopens with them). */
interface UiState {
  dirs: string[];
  hidden: string[];
  metric: TrainMetric;
  smoothing: number;
}

function loadState(raw: unknown): UiState {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Partial<UiState>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : []);
  return {
    dirs: strings(s.dirs),
    hidden: strings(s.hidden),
    metric: s.metric === 'loss' ? 'loss' : 'ce',
    smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : 0.6,
  };
}

const percent = (v: number) => `${Number((v * 100).toFixed(1))}%`;

export function startCompareView(root: HTMLElement, vscode: VsCodeApi): void {
  const state = loadState(vscode.getState());
  const save = () => vscode.setState(state);
  // The shared VsCodeApi is typed for the Metrics messages; this page sends its own kinds.
  const post = (m: CompareWebviewToHost) =>
    (vscode as unknown as { postMessage(m: CompareWebviewToHost): void }).postMessage(m);

  const header = h('header', undefined, 'compare-header');
  const status = h('span', '', 'compare-status', { role: 'status' });
  const refresh = button('Refresh', undefined, { title: 'Run the comparison again (e.g. while a run trains)' });
  refresh.addEventListener('click', () => post({ type: 'refresh' }));
  const banner = h('p', '', 'unfinished-banner hidden', { role: 'note' });
  const groups = h('section', undefined, 'card groups');
  const training = new CurveChart({ title: TRAIN_METRICS[state.metric].title, format: formatValue });
  const accuracy = new CurveChart({
    title: 'Eval accuracy, mean over languages',
    format: percent,
    fromZero: true,
    markers: true,
  });
  const tables = h('section', undefined, 'card tables');
  const charts = h('div', undefined, 'compare-charts');
  charts.append(training.el, accuracy.el);
  let report: CompareReport | null = null;
  let colours = new Map<string, string>();

  const metric = select(
    'Training metric',
    Object.entries(TRAIN_METRICS).map(([value, m]) => [value, m.option]),
    undefined,
    state.metric,
  );
  metric.addEventListener('change', () => {
    state.metric = metric.value === 'loss' ? 'loss' : 'ce';
    changed();
  });
  const smoothing = h('input', undefined, undefined, { type: 'range', min: '0', max: '0.99', step: '0.01' });
  smoothing.value = String(state.smoothing);
  const smoothingValue = h('span', state.smoothing.toFixed(2), 'muted');
  smoothing.addEventListener('input', () => {
    state.smoothing = Number(smoothing.value);
    smoothingValue.textContent = state.smoothing.toFixed(2);
    changed();
  });
  const controls = h('div', undefined, 'controls');
  const smoothLabel = h('label', 'Smoothing ');
  smoothLabel.append(smoothing, smoothingValue);
  controls.append(metric, smoothLabel);
  training.addControls(controls);

  const curves = (pick: (c: CompareReport['groups'][number]['curves']) => GroupCurve['points']): GroupCurve[] =>
    (report?.groups ?? [])
      .filter((g) => !state.hidden.includes(g.label))
      .map((g) => ({ key: g.label, label: g.label, colour: colours.get(g.label)!, points: pick(g.curves) }));

  const drawCharts = () => {
    training.setOptions({ title: TRAIN_METRICS[state.metric].title, format: formatValue });
    training.update(
      curves((c) => c[state.metric]),
      state.smoothing,
    );
    accuracy.update(curves((c) => c.accuracy));
  };

  const drawGroups = () => {
    if (!report) return;
    groups.replaceChildren(
      h('h3', 'Groups (seeds of one config, as mean ± std)'),
      groupList(report.groups, colours, state.hidden, {
        toggle: (label) => {
          state.hidden = state.hidden.includes(label)
            ? state.hidden.filter((k) => k !== label)
            : [...state.hidden, label];
          changed();
        },
        openMetrics: (runDir) => post({ type: 'openMetrics', runDir }),
      }),
    );
  };

  const changed = () => {
    save();
    drawGroups();
    drawCharts();
  };

  const render = (r: CompareReport, comparedAt: string) => {
    report = r;
    state.dirs = r.groups.flatMap((g) => g.runs);
    save();
    colours = new Map(r.groups.map((g, i) => [g.label, seriesColour(i)]));
    const runs = r.groups.reduce((n, g) => n + g.members.length, 0);
    const time = new Date(comparedAt);
    const facts = [
      `${r.groups.length} group${r.groups.length === 1 ? '' : 's'}, ${runs} runs`,
      `deltas against ${r.reference}`,
      Number.isNaN(time.getTime()) ? '' : `compared at ${time.toLocaleTimeString()}`,
    ].filter(Boolean);
    const title = h('h2', 'Compare Runs: ');
    title.append(r.groups.map((g) => g.label).join(' vs '));
    header.replaceChildren(title, h('p', facts.join(' · '), 'muted'), refresh, status);
    const unfinished = r.groups.flatMap((g) => g.members.filter((m) => m.unfinished));
    banner.textContent = unfinished.length
      ? `${unfinished.length} run${unfinished.length === 1 ? '' : 's'} did not finish (${unfinished.map((m) => m.id).join(', ')}): their figures come from their last evaluation.`
      : '';
    banner.classList.toggle('hidden', !unfinished.length);
    tables.replaceChildren(accuracyTable(r, colours), ...(r.deltas.length ? [deltaTable(r, colours)] : []));
    drawGroups();
    drawCharts();
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const parsed = CompareHostToWebview.safeParse(event.data);
    if (!parsed.success) return; // not from the host, or a host of another version
    const msg = parsed.data;
    if (msg.type === 'snapshot') {
      if (!report) root.replaceChildren(header, banner, groups, charts, tables);
      render(msg.report, msg.comparedAt);
      status.textContent = '';
      refresh.disabled = false;
    } else if (!report) {
      // A restored panel before its comparison arrived: the page has only this line.
      const text =
        msg.state === 'failed'
          ? `The comparison failed: ${msg.message ?? ''}`
          : msg.state === 'comparing'
            ? 'Comparing…'
            : 'No comparison to show: run SOLAR: Compare Runs….';
      root.replaceChildren(h('p', text, msg.state === 'failed' ? 'compare-status error' : 'muted'));
    } else {
      refresh.disabled = msg.state === 'comparing';
      status.textContent =
        msg.state === 'comparing' ? 'Comparing…' : msg.state === 'failed' ? `Refresh failed: ${msg.message ?? ''}` : '';
      status.classList.toggle('error', msg.state === 'failed');
    }
  });
}
