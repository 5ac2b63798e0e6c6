// Every example config must work out of the box, and the committed JSON Schema must be
// the one the zod schema generates today.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runConfigJsonSchemaText } from '../../protocol/jsonSchema';
import { resolveRun } from '../../trainer/train/resolveConfig';
import { train } from '../../trainer/train/train';
import { EXAMPLES, ROOT, tempDir } from '../helpers/helpers';

const configs = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.solar.json'));

test('there are example configs', () => {
  assert.ok(configs.includes('demo.solar.json'));
});

for (const name of configs) {
  test(`example ${name} validates and trains for 2 steps`, async () => {
    const file = path.join(EXAMPLES, name);
    const resolved = resolveRun(file);
    assert.ok(resolved.train.length > 0);
    const r = await train({ configFile: file, steps: 2, runDir: path.join(tempDir(), 'run'), quiet: true });
    assert.equal(r.state, 'completed');
    assert.ok(Number.isFinite(r.lastLoss));
  });
}

test('protocol/runConfig.schema.json is up to date (run `npm run schema`)', () => {
  const committed = fs.readFileSync(path.join(ROOT, 'protocol', 'runConfig.schema.json'), 'utf8');
  assert.equal(committed, runConfigJsonSchemaText());
});
