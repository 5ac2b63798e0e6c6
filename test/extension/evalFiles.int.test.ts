// What `solar eval` writes is what the Metrics panel reads: a real run evaluated by the
// built CLI, its evals/ file listed and read back through extension/evalFiles.ts, and
// every generation carrying what the Generations card shows (prompt, extracted answer,
// right or wrong, agreeing with the file's own accuracy; skipped items with their reason).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { listEvalFiles, readEvalFile } from '../../extension/evalFiles';
import { train } from '../../trainer/train/train';
import { CLI, smallConfig, tempDir, writeConfig } from '../helpers/helpers';

const items = [
  {
    id: 'q1',
    answer: '7',
    langs: {
      en: { prompt: 'Tom has 3 apples and buys 4 more. How many?' },
      sw: { prompt: 'Tom ana maembe 3 na ananunua 4. Ni mangapi?' },
      te: { prompt: 'ఒక పెట్టెలో 4 గుడ్లు ఉన్నాయి. '.repeat(4) },
    },
  },
  {
    id: 'q2',
    answer: '2',
    langs: {
      en: { prompt: 'Ann had 5 pens and gave away 3. How many are left?' },
      sw: { prompt: 'Ann alikuwa na kalamu 5 akatoa 3. Zimebaki ngapi?' },
    },
  },
];

test('solar eval writes a report the panel reads back whole', async () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, smallConfig({ steps: 1, evaluation: { maxNewTokens: 8 } }));
  const { runDir } = await train({ configFile: cfg, runDir: path.join(dir, 'run'), quiet: true });
  const data = path.join(dir, 'arith.parallel.jsonl');
  fs.writeFileSync(data, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  const r = spawnSync(process.execPath, [CLI, 'eval', runDir, '--data', data], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);

  const [file, ...rest] = listEvalFiles(runDir);
  assert.deepEqual(rest, []);
  assert.deepEqual([file.name, file.data, file.step], ['arith-step-000001.json', 'arith', 1]);
  const report = readEvalFile(runDir, file.name);
  assert.equal(report.data, data);
  assert.deepEqual(report.gold, ['7', '2']);
  assert.deepEqual(Object.keys(report.outputs).sort(), ['en', 'sw', 'te']);
  for (const lang of ['en', 'sw']) {
    const outs = report.outputs[lang];
    outs.forEach((o, i) => {
      assert.ok(o && o.text !== undefined, `${lang} item ${i} generated`);
      assert.equal(o.id, items[i].id);
      assert.equal(o.prompt, (items[i].langs as Record<string, { prompt: string }>)[lang].prompt);
      assert.ok(o.answer === null || typeof o.answer === 'string');
      assert.equal(typeof o.correct, 'boolean');
      if (o.correct) assert.equal(Number(o.answer), Number(items[i].answer));
    });
    const right = outs.filter((o) => o?.correct).length;
    assert.equal(report.scored?.[lang], 2);
    assert.equal(report.accuracy?.[lang], right / 2, `${lang}: the marks add up to the file's accuracy`);
  }
  assert.deepEqual(report.outputs.te, [{ id: 'q1', skipped: 'tooLong' }, null]);
});
