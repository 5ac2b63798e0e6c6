// The end of `solar train`: the final evaluation beside the base model's, the plain
// statement when the pivot has not improved, and the next commands.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EvalEvent } from '../../../protocol/metrics';
import { appendEvent } from '../../../protocol/runFolder';
import { formatRunSummary } from '../../../trainer/train/runSummary';
import { tempDir } from '../../helpers/helpers';

const ev = (step: number, en: number, sw: number, sim: number): EvalEvent => ({
  kind: 'eval',
  step,
  accuracy: { en, sw },
  accuracyMean: (en + sw) / 2,
  accuracyLowResource: sw,
  loss: { en: 3 - step / 100, sw: 4 },
  similarity: {
    languages: ['en', 'sw'],
    matrix: [
      [1, sim],
      [sim, 1],
    ],
  },
  items: 8,
});

function runWith(events: EvalEvent[]): string {
  const dir = path.join(tempDir(), 'demo-20261124-000000');
  fs.mkdirSync(dir);
  for (const e of events) appendEvent(dir, e);
  return dir;
}

test('base vs final per language, low-resource marked, and the next commands', () => {
  const dir = runWith([ev(0, 0, 0, 0.2), ev(50, 0.25, 0.125, 0.4), ev(100, 0.5, 0.25, 0.6)]);
  const out = formatRunSummary({ runDir: dir, state: 'completed', step: 100, pivot: 'en', lowResource: ['sw'] });
  assert.match(out, /base model \(step 0\) -> step 100, 8 eval items/);
  assert.match(out, /^en\s+0\.0% ->\s+50\.0%\s+3\.000 ->\s+2\.000\s+-$/m);
  assert.match(out, /^sw\*\s+0\.0% ->\s+25\.0%\s+4\.000 ->\s+4\.000\s+0\.200 ->\s+0\.600$/m);
  assert.doesNotMatch(out, /has not risen/);
  assert.match(out, /solar eval .*demo-20261124-000000\n/);
  assert.match(out, /solar compare .*demo-20261124-000000 OTHER_RUN_DIR/);
  assert.doesNotMatch(out, /--resume/, 'a completed run has nothing to resume');
});

test('says plainly when the pivot has not improved; a stopped run is told how to resume', () => {
  const dir = runWith([ev(0, 0, 0, 0.2), ev(3, 0, 0, 0.3)]);
  const out = formatRunSummary({ runDir: dir, state: 'stopped', step: 3, pivot: 'en', lowResource: ['sw'] });
  assert.match(
    out,
    /The pivot's \(en\) accuracy has not risen above the base model's after 3 steps\. Its response loss went from 3\.000 to 2\.970/,
  );
  assert.match(out, /solar train --resume .*demo-20261124-000000/);
});

test('a run without an eval set says why there is no table', () => {
  const dir = runWith([]);
  assert.match(
    formatRunSummary({ runDir: dir, state: 'completed', step: 5, pivot: 'en', lowResource: [] }),
    /no evaluation: the config has no data\.eval/,
  );
});

test('items left out of accuracy are named per language with the reason', () => {
  const final: EvalEvent = { ...ev(10, 0.5, 0, 0.3), skipped: { sw: { tooLong: 3 } }, scored: { en: 8, sw: 5 } };
  const dir = runWith([ev(0, 0, 0, 0.2), final]);
  const out = formatRunSummary({ runDir: dir, state: 'completed', step: 10, pivot: 'en', lowResource: ['sw'] });
  assert.match(out, /not scored \(do not fit the context; not in accuracy\): sw 3 \(tooLong\)/);
});
