// The run's saved evaluations as the Metrics panel gets them: listed newest step first
// (strays left out), read and validated, a malformed file an error naming the file and the
// field, names from the page confined to evals/, and the list resent only when it changes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { answerRequest, EvalFiles, listEvalFiles, parseEvalFileName, readEvalFile } from '../../extension/evalFiles';
import { InputError } from '../../protocol/errors';
import { runFile } from '../../protocol/runFolder';
import type { HostToWebview } from '../../protocol/webviewMessages';
import { evalReport, writeEvalFile } from '../helpers/evalFixture';
import { tempDir } from '../helpers/helpers';

test('file names: data and step from <data>-step-NNNNNN.json, anything else is not one', () => {
  assert.deepEqual(parseEvalFileName('gsm-mini-step-000150.json'), { data: 'gsm-mini', step: 150 });
  assert.deepEqual(parseEvalFileName('eval-step-1000000.json'), { data: 'eval', step: 1000000 });
  for (const bad of ['eval-step-000150.json.tmp-42', 'step-000150.json', 'eval-000150.json', 'eval-step-x.json'])
    assert.equal(parseEvalFileName(bad), null, bad);
});

test('listing: newest step first, then by data name; strays and folders left out; none without evals/', () => {
  const dir = tempDir();
  assert.deepEqual(listEvalFiles(dir), []);
  writeEvalFile(dir, 'eval-step-000010.json', {});
  writeEvalFile(dir, 'eval-step-000150.json', {});
  writeEvalFile(dir, 'arith-step-000150.json', {});
  writeEvalFile(dir, 'notes.txt', 'x');
  writeEvalFile(dir, '.eval-step-000200.json.tmp-7', '{');
  fs.mkdirSync(path.join(runFile(dir, 'evals'), 'old-step-000300.json'));
  const files = listEvalFiles(dir);
  assert.deepEqual(
    files.map((f) => [f.name, f.data, f.step]),
    [
      ['arith-step-000150.json', 'arith', 150],
      ['eval-step-000150.json', 'eval', 150],
      ['eval-step-000010.json', 'eval', 10],
    ],
  );
  assert.ok(files.every((f) => f.mtimeMs > 0));
});

test('a valid file reads back as the report, every generation kept', () => {
  const dir = tempDir();
  const report = evalReport(30);
  writeEvalFile(dir, 'arith-step-000150.json', report);
  const read = readEvalFile(dir, 'arith-step-000150.json');
  assert.equal(read.step, 150);
  assert.equal(read.outputs.sw.length, 30);
  assert.deepEqual(read.outputs.sw[3], {
    id: 'q4',
    prompt: report.outputs.sw[3]!.prompt,
    text: '3 + 6 = 10. The answer is 10.',
    answer: '10',
    correct: false,
  });
  assert.deepEqual(read.outputs.te[0], { id: 'q1', skipped: 'tooLong' });
  assert.equal(read.outputs.zh[0], null);
  assert.deepEqual(read.gold?.slice(0, 3), ['3', '5', '7']);
});

test('a file written before prompts and marks were saved still reads', () => {
  const dir = tempDir();
  const old = {
    ...evalReport(2),
    gold: undefined,
    outputs: {
      en: [
        { id: 'q1', text: '4' },
        { id: 'q2', skipped: 'noRoom' },
      ],
    },
  };
  writeEvalFile(dir, 'eval-step-000001.json', old);
  assert.deepEqual(readEvalFile(dir, 'eval-step-000001.json').outputs.en[0], { id: 'q1', text: '4' });
});

function readError(dir: string, name: string): InputError {
  try {
    readEvalFile(dir, name);
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return e;
  }
  assert.fail('expected an InputError');
}

test('a malformed file is an InputError naming the file and the field', () => {
  const dir = tempDir();
  const wrongType = evalReport(5);
  (wrongType.outputs.sw[2] as unknown as Record<string, unknown>).correct = 'yes';
  const file = writeEvalFile(dir, 'arith-step-000150.json', wrongType);
  let e = readError(dir, 'arith-step-000150.json');
  assert.equal(e.location.file, file);
  assert.equal(e.location.field, 'outputs.sw.2.correct');
  assert.match(e.message, /arith-step-000150\.json \(field "outputs\.sw\.2\.correct"\): expected boolean/);

  const both = evalReport(5);
  both.outputs.en[1] = { id: 'q2', text: '5', skipped: 'tooLong' };
  writeEvalFile(dir, 'both-step-000001.json', both);
  e = readError(dir, 'both-step-000001.json');
  assert.equal(e.location.field, 'outputs.en.1');
  assert.match(e.message, /either "text".*or "skipped"/);

  const short = evalReport(5);
  short.outputs.te = short.outputs.te.slice(0, 4);
  writeEvalFile(dir, 'short-step-000001.json', short);
  e = readError(dir, 'short-step-000001.json');
  assert.equal(e.location.field, 'outputs.te');
  assert.match(e.message, /5 entries, one per item \(got 4\)/);

  const { data: _data, ...noData } = evalReport(5);
  writeEvalFile(dir, 'nodata-step-000001.json', noData);
  assert.equal(readError(dir, 'nodata-step-000001.json').location.field, 'data');

  writeEvalFile(dir, 'torn-step-000001.json', '{"kind": "eval", "step": 1, "outp');
  e = readError(dir, 'torn-step-000001.json');
  assert.equal(e.location.file, path.join(runFile(dir, 'evals'), 'torn-step-000001.json'));
  assert.match(e.message, /torn-step-000001\.json: JSON \(/);

  e = readError(dir, 'gone-step-000001.json');
  assert.match(e.message, /gone-step-000001\.json: a readable file \(ENOENT\)/);
});

test('a name from the page cannot leave evals/', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'secret-step-000001.json'), JSON.stringify(evalReport(1)));
  for (const name of ['../secret-step-000001.json', '/etc/passwd', 'sub/x-step-000001.json', 'config.json']) {
    assert.match(readError(dir, name).message, /an eval file name such as/, name);
  }
});

test('requests are answered with the list, the report, or the error in words', () => {
  const dir = tempDir();
  writeEvalFile(dir, 'arith-step-000150.json', evalReport(3));
  const list = answerRequest(dir, { what: 'evalFiles' });
  assert.equal(list.type === 'evalFiles' && list.files[0].name, 'arith-step-000150.json');
  const ok = answerRequest(dir, { what: 'evalReport', name: 'arith-step-000150.json' });
  assert.ok(ok.type === 'evalReport' && ok.report && !ok.error);
  const bad = answerRequest(dir, { what: 'evalReport', name: 'x-step-000001.json' });
  assert.ok(bad.type === 'evalReport' && !bad.report && /x-step-000001\.json: a readable file/.test(bad.error ?? ''));
});

test('the list is sent again only after the page asked and only when it changed', () => {
  const dir = tempDir();
  const sent: HostToWebview[] = [];
  const files = new EvalFiles(dir, (m) => sent.push(m));
  writeEvalFile(dir, 'arith-step-000010.json', evalReport(2, 10));
  files.poll();
  assert.equal(sent.length, 0, 'nothing before the page asks');
  files.answer({ what: 'evalFiles' });
  assert.equal(sent.length, 1);
  files.poll();
  assert.equal(sent.length, 1, 'unchanged: nothing sent');
  writeEvalFile(dir, 'arith-step-000020.json', evalReport(2, 20));
  files.poll();
  assert.equal(sent.length, 2);
  const last = sent[1];
  assert.deepEqual(last.type === 'evalFiles' && last.files.map((f) => f.step), [20, 10]);
  files.reset();
  writeEvalFile(dir, 'arith-step-000030.json', evalReport(2, 30));
  files.poll();
  assert.equal(sent.length, 2, 'a reloaded page has not asked yet');
  files.dispose();
  files.answer({ what: 'evalFiles' });
  assert.equal(sent.length, 2, 'nothing after dispose');
});
