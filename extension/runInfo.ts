// Turning a run into the words the tree, the status bar and the webview show.
import type { RunInfo } from '../protocol/webviewMessages';
import type { RunView } from './runStore';

export function formatStarted(iso: string | undefined, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const hm = d.toTimeString().slice(0, 5);
  return d.toDateString() === now.toDateString() ? hm : `${d.toISOString().slice(0, 10)} ${hm}`;
}

export function formatAccuracy(acc: number | undefined): string | undefined {
  return acc === undefined ? undefined : `${(acc * 100).toFixed(1)}%`;
}

/** "running · 40/150 · best 12.5% · 14:03" */
export function describeRun(r: RunView): string {
  const parts: string[] = [r.state];
  if (r.totalSteps) parts.push(`${r.step}/${r.totalSteps}`);
  const acc = formatAccuracy(r.bestAccuracy);
  if (acc) parts.push(`best ${acc}`);
  const started = formatStarted(r.startedAt);
  if (started) parts.push(started);
  return parts.join(' · ');
}

export function toRunInfo(r: RunView): RunInfo {
  return {
    id: r.id, name: r.name, dir: r.dir, state: r.state, message: r.message, step: r.step, totalSteps: r.totalSteps, loss: r.loss,
    etaSec: r.etaSec, backend: r.backend, device: r.device, startedAt: r.startedAt, lastCheckpoint: r.lastCheckpoint, bestAccuracy: r.bestAccuracy,
  };
}
