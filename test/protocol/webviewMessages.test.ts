// The host <-> webview contract: what a panel gets is validated on arrival, and a message
// of the wrong shape (stale page, another sender) is refused, not half-used.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostToWebview, MAX_EXPORT_CHARS, WebviewToHost } from '../../protocol/webviewMessages';
import { eventStream, runInfo } from '../helpers/metricsFixture';

test('snapshot and events deltas validate with MetricEvent inside', () => {
  const run = runInfo('/runs/demo', 20);
  const snapshot = { type: 'snapshot', run, config: { pivot: 'en', lowResource: ['sw'] }, events: eventStream(0, 20) };
  assert.equal(HostToWebview.safeParse(snapshot).success, true);
  assert.equal(HostToWebview.safeParse({ ...snapshot, config: null }).success, true, 'config may be unknown');
  assert.equal(HostToWebview.safeParse({ type: 'events', events: eventStream(21, 22) }).success, true);
  assert.equal(HostToWebview.safeParse({ type: 'events', run, events: [] }).success, true);
});

test('malformed host messages are refused', () => {
  const run = runInfo('/runs/demo', 20);
  const bad = [
    { type: 'snapshot', run, events: [] }, // config missing
    { type: 'snapshot', run, config: { pivot: 'en', lowResource: ['Not A Code'] }, events: [] },
    { type: 'events', events: [{ kind: 'train', step: 0 }] }, // not a TrainEvent
    { type: 'events', events: 'all' },
    { type: 'chart', data: [] },
  ];
  for (const m of bad) assert.equal(HostToWebview.safeParse(m).success, false, JSON.stringify(m));
});

test('webview -> host: ready and whitelisted commands only', () => {
  assert.equal(WebviewToHost.safeParse({ type: 'ready' }).success, true);
  assert.equal(WebviewToHost.safeParse({ type: 'command', command: 'solar.stopRun', runDir: '/r' }).success, true);
  assert.equal(WebviewToHost.safeParse({ type: 'command', command: 'solar.deleteRun', runDir: '/r' }).success, false);
});

test('webview -> host: an export names a bare file of its format, png data is a base64 PNG', () => {
  // A 1x1 PNG.
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
  const ok = [
    { type: 'export', format: 'png', fileName: 'demo-20250101-000000-loss.png', data: png },
    { type: 'export', format: 'svg', fileName: 'demo-loss.svg', data: '<svg/>' },
    { type: 'export', format: 'csv', fileName: 'démo run-metrics.CSV', data: 'step\n' },
  ];
  for (const m of ok) assert.equal(WebviewToHost.safeParse(m).success, true, m.fileName);
  const bad = [
    { type: 'export', format: 'svg', fileName: '../evil.svg', data: '<svg/>' },
    { type: 'export', format: 'svg', fileName: 'a/b.svg', data: '<svg/>' },
    { type: 'export', format: 'svg', fileName: '.svg', data: '<svg/>' },
    { type: 'export', format: 'svg', fileName: 'chart.png', data: '<svg/>' },
    { type: 'export', format: 'svg', fileName: 'empty.svg', data: '' },
    { type: 'export', format: 'svg', fileName: 'huge.svg', data: 'x'.repeat(MAX_EXPORT_CHARS + 1) },
    { type: 'export', format: 'png', fileName: 'a.png', data: Buffer.from('GIF89a not a png').toString('base64') },
    { type: 'export', format: 'png', fileName: 'a.png', data: `${png}<script>` },
    { type: 'export', format: 'pdf', fileName: 'a.pdf', data: 'x' },
  ];
  for (const m of bad) assert.equal(WebviewToHost.safeParse(m).success, false, `${m.fileName} ${m.data.slice(0, 20)}`);
});
