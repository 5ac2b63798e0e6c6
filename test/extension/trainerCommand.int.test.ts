// Trainer commands run from the extension (Compare Runs) are asynchronous: output is
// collected, and a cancel or a time limit kills the process instead of hanging the host.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runTrainerCommand } from '../../extension/trainerCommand';
import { TEST_NODE } from '../helpers/helpers';

const NODE = TEST_NODE;

test('collects stdout, stderr and the exit code', async () => {
  const r = await runTrainerCommand(NODE, [
    '-e',
    'console.log("table"); console.error("solar: warning: w"); process.exit(3)',
  ]);
  assert.deepEqual([r.code, r.stdout, r.stderr, r.aborted], [3, 'table\n', 'solar: warning: w\n', undefined]);
});

test('cancelling kills the process at once', async () => {
  let cancel = () => {};
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (l: () => void) => {
      cancel = l;
      return { dispose() {} };
    },
  };
  const pending = runTrainerCommand(NODE, ['-e', 'setTimeout(() => {}, 60000)'], { token });
  setTimeout(() => cancel(), 200);
  const r = await pending;
  assert.equal(r.aborted, 'cancelled');
  assert.equal(r.signal, 'SIGTERM', 'killed, not waited for');
});

test('a command past its time limit is killed and says so', async () => {
  const r = await runTrainerCommand(NODE, ['-e', 'setTimeout(() => {}, 60000)'], { timeoutMs: 300 });
  assert.equal(r.aborted, 'timeout');
  assert.notEqual(r.code, 0);
});
