// The panel's follower on a real run folder: a snapshot of everything so far with the
// config's languages, then only appended events (and a changed status), nothing when
// nothing changed, and a fresh snapshot from byte 0 when the page asks again.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { MetricsFollower, readPanelConfig } from '../../extension/metricsFollower';
import { appendEvent, runFile } from '../../protocol/runFolder';
import type { RunInfo } from '../../protocol/runInfo';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { smallConfig, tempDir } from '../helpers/helpers';
import { eventStream, runInfo } from '../helpers/metricsFixture';

function setup() {
  const dir = tempDir();
  fs.writeFileSync(runFile(dir, 'config'), JSON.stringify(smallConfig({ lowResource: ['sw'] })));
  for (const e of eventStream(0, 10)) appendEvent(dir, e);
  let run: RunInfo | undefined = runInfo(dir, 10);
  const sent: HostToWebview[] = [];
  const follower = new MetricsFollower(
    dir,
    () => run,
    (m) => sent.push(m),
  );
  return { dir, follower, sent, setRun: (r: RunInfo | undefined) => (run = r) };
}

test('snapshot first, then only the appended events', () => {
  const { dir, follower, sent, setRun } = setup();
  follower.poll();
  assert.equal(sent.length, 0, 'nothing before the snapshot (the page is not ready)');
  follower.snapshot();
  const snap = sent[0];
  assert.equal(snap.type, 'snapshot');
  if (snap.type !== 'snapshot') return;
  assert.equal(snap.events.length, 11);
  assert.deepEqual(snap.config, { pivot: 'en', lowResource: ['sw'] });

  follower.poll();
  assert.equal(sent.length, 1, 'no change, no message');
  for (const e of eventStream(11, 13)) appendEvent(dir, e);
  follower.poll();
  assert.deepEqual(sent[1], { type: 'events', events: eventStream(11, 13) });

  setRun(runInfo(dir, 13, 'completed'));
  follower.poll();
  assert.deepEqual(sent[2], { type: 'events', events: [], run: runInfo(dir, 13, 'completed') });

  follower.snapshot();
  assert.equal(sent[3].type === 'snapshot' && sent[3].events.length, 14, 'a second snapshot has everything again');
  follower.dispose();
  appendEvent(dir, eventStream(14, 14)[0]);
  follower.poll();
  assert.equal(sent.length, 4, 'a disposed follower posts nothing');
});

test('no snapshot for a run the store no longer has; a missing config is null', () => {
  const { dir, follower, sent, setRun } = setup();
  setRun(undefined);
  follower.snapshot();
  assert.equal(sent.length, 0);
  fs.rmSync(path.join(dir, 'config.json'));
  assert.equal(readPanelConfig(dir), null);
});
