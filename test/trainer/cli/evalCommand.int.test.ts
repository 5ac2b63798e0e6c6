// `solar eval --data FILE` on a real run: every language in the data is evaluated (not only
// the run's training languages), --languages picks some and the rest are named with why,
// prompts the context cannot hold are counted per language (table, saved event, one
// terminal warning), and data without the pivot says why its pivot columns are empty.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { EvalEvent } from '../../../protocol/metrics';
import { train } from '../../../trainer/train/train';
import { CLI, smallConfig, tempDir, writeConfig } from '../../helpers/helpers';

const solar = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
const longTe = 'ఒక పెట్టెలో 4 గుడ్లు ఉన్నాయి. '.repeat(4); // about 180 bytes: more than the 128-token context
let dir = '';
let runDir = '';
let mixed = '';
let noPivot = '';

function writeJsonl(file: string, items: object[]): string {
  fs.writeFileSync(file, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  return file;
}

before(async () => {
  dir = tempDir();
  const cfg = writeConfig(
    dir,
    smallConfig({ steps: 1, languages: ['en', 'es', 'sw'], evaluation: { maxNewTokens: 8 } }),
  );
  runDir = (await train({ configFile: cfg, runDir: path.join(dir, 'run'), quiet: true })).runDir;
  mixed = writeJsonl(path.join(dir, 'mixed.parallel.jsonl'), [
    {
      id: 'q1',
      answer: '7',
      langs: {
        en: { prompt: 'Tom has 3 apples and buys 4 more. How many?' },
        sw: { prompt: 'Tom ana maembe 3 na ananunua 4. Ni mangapi?' },
        fr: { prompt: 'Tom a 3 pommes et en achète 4. Combien ?' },
        te: { prompt: longTe },
      },
    },
    {
      id: 'q2',
      answer: '2',
      langs: {
        en: { prompt: 'Ann had 5 pens and gave away 3. How many are left?' },
        sw: { prompt: 'Ann alikuwa na kalamu 5 akatoa 3. Zimebaki ngapi?' },
        fr: { prompt: 'Ann avait 5 stylos et en a donné 3. Combien en reste-t-il ?' },
        te: { prompt: `${longTe}?` },
      },
    },
  ]);
  noPivot = writeJsonl(path.join(dir, 'xcopa.parallel.jsonl'), [
    {
      id: 'c1',
      answer: '0',
      langs: {
        sw: { prompt: 'Mwanamume alivunjika kidole. Sababu?', choices: ['Aliangusha nyundo.', 'Soksi ilitoboka.'] },
        et: { prompt: 'Mees murdis varba. Põhjus?', choices: ['Ta pillas haamri.', 'Sokk sai augu.'] },
      },
    },
    {
      id: 'c2',
      answer: '1',
      langs: {
        sw: { prompt: 'Msichana alicheka. Sababu?', choices: ['Alilia.', 'Aliambiwa utani.'] },
        et: { prompt: 'Tüdruk naeris. Põhjus?', choices: ['Ta nuttis.', 'Talle räägiti nalja.'] },
      },
    },
  ]);
});

/** The saved evaluation of `data`: a valid eval event plus the generations. */
function saved(data: string): EvalEvent & { outputs: Record<string, unknown[]> } {
  const json = JSON.parse(
    fs.readFileSync(path.join(runDir, 'evals', `${path.basename(data, '.parallel.jsonl')}-step-000001.json`), 'utf8'),
  );
  EvalEvent.parse(json);
  return json;
}

test('every language in the data is evaluated, and prompts too long for the context are counted, not scored', () => {
  const r = solar(['eval', runDir, '--data', mixed]);
  assert.equal(r.status, 0, r.stderr);
  for (const l of ['en', 'sw', 'fr\\+', 'te\\+']) assert.match(r.stdout, new RegExp(`^${l} +`, 'm'), `a row for ${l}`);
  assert.match(r.stdout, /^te\S* +- +0\/2 .*2 too long$/m);
  assert.match(r.stdout, /context of 128 tokens \(bytes\)/);
  assert.equal(r.stderr.match(/^warning: eval items that do not fit/gm)?.length, 1, r.stderr);
  assert.match(r.stderr, /te 2 of 2 \(2 too long\)/);
  const e = saved(mixed);
  assert.deepEqual(e.scored, { en: 2, fr: 2, sw: 2, te: 0 });
  assert.deepEqual(e.skipped, { te: { tooLong: 2 } });
  assert.equal(e.accuracy!.te, undefined);
  assert.deepEqual(e.outputs.te[0], { id: 'q1', skipped: 'tooLong' });
});

test('--languages picks languages and names those left out; none in the data is exit 2', () => {
  const r = solar(['eval', runDir, '--data', mixed, '--languages', 'sw,fr,xx']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^sw +/m);
  assert.doesNotMatch(r.stdout, /^(en|te)\S* +/m);
  assert.match(
    r.stdout,
    /not evaluated: xx \(not in .*mixed\.parallel\.jsonl\), en \(not in --languages\), te \(not in --languages\)/,
  );
  assert.match(r.stdout, /no en \(pivot\) in this evaluation \(not in --languages\)/);
  const bad = solar(['eval', runDir, '--data', mixed, '--languages', 'xx']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /none of --languages xx is in/);
});

test('data without the pivot: a valid event, and the table says why the pivot columns are empty', () => {
  const r = solar(['eval', runDir, '--data', noPivot, '--per-layer']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^et\+ +/m);
  assert.match(
    r.stdout,
    /no en \(pivot\) in this evaluation \(not in the data\): sim\(en\), soft\(en\) and consistency compare each language with the pivot/,
  );
  const e = saved(noPivot);
  assert.equal(e.consistency, undefined);
  assert.deepEqual(e.similarity!.languages.sort(), ['et', 'sw']);
});
