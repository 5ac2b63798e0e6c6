// Turning a run into the words the tree and the quick picks show.
import { formatAccuracy } from '../protocol/format';
import type { RunInfo } from '../protocol/runInfo';

export function formatStarted(iso: string | undefined, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const hm = d.toTimeString().slice(0, 5);
  return d.toDateString() === now.toDateString() ? hm : `${d.toISOString().slice(0, 10)} ${hm}`;
}

/** "running · 40/150 · best 12.5% · 14:03" */
export function describeRun(r: RunInfo): string {
  const parts: string[] = [r.state];
  if (r.totalSteps) parts.push(`${r.step}/${r.totalSteps}`);
  if (r.bestAccuracy !== undefined) parts.push(`best ${formatAccuracy(r.bestAccuracy)}`);
  const started = formatStarted(r.startedAt);
  if (started) parts.push(started);
  return parts.join(' · ');
}
