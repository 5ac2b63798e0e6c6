// What "Import Benchmark…" runs, run for real: the guessed format and the command line
// built by importArgs import published files through the built trainer into a dataset
// that `solar data validate` accepts; a wrong format fails with the trainer's reason.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readCliResult, readValidateResult, validateArgs } from '../../extension/datasetCommandArgs';
import { guessBenchmarkFormat, importArgs } from '../../extension/importGuess';
import { runTrainerCommand } from '../../extension/trainerCommand';
import { CLI, ROOT, TEST_NODE, tempDir } from '../helpers/helpers';

const BENCH = path.join(ROOT, 'test', 'fixtures', 'benchmarks');

test('picked MGSM files import as a training set that validates', async () => {
  const files = ['mgsm_en.tsv', 'mgsm_bn.tsv'].map((f) => path.join(BENCH, 'mgsm', f));
  const format = guessBenchmarkFormat(files.map((f) => ({ path: f, head: fs.readFileSync(f, 'utf8') })));
  assert.equal(format, 'mgsm');
  const out = path.join(tempDir(), 'mgsm-train.parallel.jsonl');
  const r = await runTrainerCommand(TEST_NODE, importArgs(CLI, { format: format!, files, out, responses: 'answer' }));
  const done = readCliResult(r);
  assert.ok(done.ok, r.stderr);
  assert.match(done.stdout, /imported \d+ mgsm items in 2 languages \(en, bn\)/);
  const valid = readValidateResult(await runTrainerCommand(TEST_NODE, validateArgs(CLI, out)));
  assert.ok(valid.ok && valid.items > 0, JSON.stringify(valid));
});

test('the wrong format fails with a message naming the file, and writes nothing', async () => {
  const file = path.join(BENCH, 'xcopa', 'xcopa_sw.jsonl');
  const out = path.join(tempDir(), 'x.parallel.jsonl');
  const done = readCliResult(
    await runTrainerCommand(TEST_NODE, importArgs(CLI, { format: 'mgsm', files: [file], out, responses: 'none' })),
  );
  assert.ok(!done.ok);
  assert.ok(done.message.includes('xcopa_sw.jsonl'), done.message);
  assert.equal(fs.existsSync(out), false);
});
