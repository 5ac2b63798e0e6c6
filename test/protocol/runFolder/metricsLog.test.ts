// metrics.jsonl through protocol/runFolder: the follower reads only appended bytes and
// waits for whole lines; invalid lines are reported with file and line, never thrown;
// a writer after a torn last line starts on a fresh line, so no event is glued to it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { MetricEvent } from '../../../protocol/metrics';
import { appendEvent, MetricsLog, MetricsReader, readMetrics } from '../../../protocol/runFolder';
import { tempDir } from '../../helpers/helpers';

const train = (step: number): MetricEvent => ({
  kind: 'train',
  step,
  time: 't',
  loss: 2,
  ce: { en: 2 },
  align: {},
  lr: 0.001,
  tokensPerSec: 10,
});

test('MetricsReader reads only appended bytes, waits for whole lines, reports invalid ones', () => {
  const file = path.join(tempDir(), 'metrics.jsonl');
  const reader = new MetricsReader(file);
  assert.deepEqual(reader.poll(), [], 'no file yet');
  const line = JSON.stringify(train(1));
  fs.writeFileSync(file, `${line}\n${line.slice(0, 10)}`);
  assert.deepEqual(
    reader.poll().map((e) => e.step),
    [1],
  );
  assert.equal(reader.pending, line.slice(0, 10), 'the partial line waits');
  fs.appendFileSync(file, `${line.slice(10).replace('"step":1', '"step":2')}\nnot json\n{"kind":"train","step":-1}\n`);
  assert.deepEqual(
    reader.poll().map((e) => e.step),
    [2],
    'the partial line, completed by the append',
  );
  assert.deepEqual(
    reader.problems.map((p) => [p.location.line, p.location.field]),
    [
      [3, undefined],
      [4, 'step'],
    ],
  );
  assert.match(reader.problems[0].message, /metrics\.jsonl:3: one JSON event per line/);
  fs.writeFileSync(file, `${line}\n`);
  assert.equal(reader.poll().length, 1, 'a file that shrank is read again from the start');
});

test('readMetrics skips a torn last line without calling it a problem', () => {
  const file = path.join(tempDir(), 'metrics.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(train(1))}\n${JSON.stringify(train(2)).slice(0, 17)}`);
  const { events, problems } = readMetrics(file);
  assert.deepEqual([events.length, problems.length], [1, 0]);
  assert.deepEqual(readMetrics(path.join(tempDir(), 'missing.jsonl')), { events: [], problems: [] });
});

test('appending after a torn line starts a fresh line: the torn one is one problem, the new event survives', () => {
  const dir = tempDir();
  const file = path.join(dir, 'metrics.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(train(1))}\n${JSON.stringify(train(2)).slice(0, 17)}`);
  appendEvent(dir, train(3));
  const log = new MetricsLog(dir);
  log.append(train(4));
  log.close();
  const { events, problems } = readMetrics(file);
  assert.deepEqual(
    events.map((e) => e.step),
    [1, 3, 4],
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0].location.line, 2);
  assert.ok(fs.readFileSync(file, 'utf8').endsWith('}\n'), 'every line ends with a newline');
});
