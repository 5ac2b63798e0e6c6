// A wasm heap that runs out is said as what ran out, at which step, and what to change;
// every other failure, and the same words from another backend, pass through unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainFailure } from '../../../trainer/backend/outOfMemory';

test("wasm's ways of running out of memory become one actionable message", () => {
  for (const raw of [
    'Aborted(). Build with -sASSERTIONS for more info.',
    'RuntimeError: Aborted(). Build with -sASSERTIONS for more info.',
    'memory access out of bounds',
    'Cannot enlarge memory arrays to size 4294967296 bytes',
  ]) {
    const said = explainFailure(raw, 'wasm', 3);
    assert.match(said, /^the wasm backend ran out of its 4 GiB heap at step 3/, raw);
    assert.match(said, /batchSize/);
    assert.match(said, /model\.lora/);
  }
});

test('other failures and other backends keep their own message', () => {
  assert.equal(explainFailure('ENOSPC: no space left on device', 'wasm', 3), 'ENOSPC: no space left on device');
  assert.equal(explainFailure('Aborted()', 'tensorflow', 3), 'Aborted()');
  assert.equal(explainFailure('Aborted()', undefined, 0), 'Aborted()');
});
