// The shared dataset checks (protocol/datasetCheck): what each finds, where it points (the
// column span of the offending text in its line), and that errors read exactly as the
// trainer's loader prints them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDataset, checkLine, DatasetChecker } from '../../protocol/datasetCheck';
import { parseParallelJsonl } from '../../trainer/data/load';

const item = (langs: Record<string, unknown>, answer = '7', id = 'a') => JSON.stringify({ id, answer, langs });
const en = { prompt: 'Tom has 3 apples and buys 4 more. How many?', response: '3 + 4 = 7. The answer is 7.' };
const te = { prompt: 'టామ్ వద్ద 3 ఆపిల్స్ ఉన్నాయి, 4 కొన్నాడు. ఎన్ని?', response: '3 + 4 = 7. సమాధానం 7.' };

/** The text a problem's span covers in its line. */
function spanned(text: string, p: { column?: number; endColumn?: number }): string {
  assert.ok(p.column !== undefined && p.endColumn !== undefined, `a span: ${JSON.stringify(p)}`);
  return text.slice(p.column, p.endColumn);
}

function only<P extends { code: string }>(problems: readonly P[], code: string): P {
  const found = problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `one ${code} problem in ${JSON.stringify(problems)}`);
  return found[0];
}

test('a clean parallel line has no problems and yields its item', () => {
  const r = checkLine(item({ en, te }), { pivot: 'en' });
  assert.deepEqual(r.problems, []);
  assert.equal(r.item?.id, 'a');
  assert.equal(checkLine('   ').blank, true);
});

test('invalid JSON: the loader message, the column where the text stops being JSON', () => {
  const text = '{"id": "x", oops}';
  const [p] = checkLine(text).problems;
  assert.equal(p.severity, 'error');
  assert.equal(p.code, 'json');
  assert.match(p.message, /^one JSON object per line \(.+\)$/);
  assert.equal(p.column, text.indexOf('oops'));
  assert.equal(p.fix, undefined, 'no quick fix for a guess');
  assert.throws(() => parseParallelJsonl(text, 'f.jsonl'), { message: `f.jsonl:1: ${p.message}` });
});

test('a trailing comma is the one JSON error with a fix: removing exactly that comma', () => {
  const text = '{"id":"a","answer":"7","langs":{"en":{"prompt":"q",}}}';
  const [p] = checkLine(text).problems;
  assert.equal(p.column, text.indexOf(',}'));
  assert.deepEqual(p.fix, {
    title: 'Remove the trailing comma',
    column: text.indexOf(',}'),
    endColumn: text.indexOf(',}') + 1,
    text: '',
  });
  const fixed = text.slice(0, p.fix!.column) + p.fix!.text + text.slice(p.fix!.endColumn);
  assert.deepEqual(checkLine(fixed).problems, []);
});

test('schema errors name the field as the loader does and point at its text', () => {
  const text = '{"id":"a","answer":"7","langs":{"en":{"prompt":"","response":"r"}}}';
  const p = only(checkLine(text).problems, 'schema');
  assert.equal(p.field, 'langs.en.prompt');
  assert.equal(spanned(text, p), '""');
  assert.throws(() => parseParallelJsonl(text, 'f'), { message: `f:1 (field "langs.en.prompt"): ${p.message}` });

  // A missing field is its parent's to fix: the parent's key is underlined.
  const missing = '{"id":"m","answer":"3","langs":{"en":{"response":"3"}}}';
  const m = only(checkLine(missing).problems, 'schema');
  assert.equal(m.field, 'langs.en.prompt');
  assert.equal(spanned(missing, m), '"en"');

  // An unknown field: the loader names the object (here the item itself: no field); the key is underlined.
  const unknown = '{"id":"u","answer":"3","langz":{},"langs":{"en":{"prompt":"q"}}}';
  const u = only(checkLine(unknown).problems, 'schema');
  assert.equal(u.field, undefined);
  assert.match(u.message, /unknown field.*langz/);
  assert.equal(spanned(unknown, u), '"langz"');

  // Every issue of the line is reported, in the schema's order (the loader stops at the first).
  const many = '{"id":"","answer":"","langs":{"en":{"prompt":"q"}}}';
  assert.deepEqual(
    checkLine(many).problems.map((p) => p.field),
    ['id', 'answer'],
  );
});

test('duplicate ids: an error on the later line, at its id, worded as the loader words it', () => {
  const lines = [item({ en }, '7', 'x'), '', item({ en }, '7', 'y'), item({ en }, '7', 'x')];
  const r = checkDataset(lines.join('\n'));
  const p = only(r.problems, 'duplicateId');
  assert.equal(p.line, 4);
  assert.equal(p.field, 'id');
  assert.equal(spanned(lines[3], p), '"x"');
  assert.equal(p.message, 'a unique id ("x" is already used on line 1)');
  assert.equal(r.items.length, 3, 'the duplicate is still an item the grid shows');
});

test('an empty file is one error for the whole file (no line); blank lines are not items', () => {
  const r = checkDataset('\n  \n');
  assert.deepEqual(r.problems, [
    { severity: 'error', code: 'empty', message: 'at least one parallel item (the file is empty)' },
  ]);
  assert.equal(checkDataset(`\n${item({ en })}\n\n`).problems.length, 0);
});

test('whitespace: an answer with spaces around it gets a trim fix; whitespace-only text a warning', () => {
  const text = item({ en }, ' 7 ');
  const p = only(checkLine(text).problems, 'whitespace');
  assert.equal(p.severity, 'warning');
  assert.equal(p.field, 'answer');
  assert.equal(spanned(text, p.fix!), '" 7 "');
  assert.equal(p.fix!.text, '"7"');
  const blank = checkLine(item({ en: { prompt: '   ' } }));
  assert.equal(only(blank.problems, 'whitespace').field, 'langs.en.prompt');
  assert.equal(only(blank.problems, 'whitespace').fix, undefined, 'no fix: trimming would leave it empty');
});

test('script: Latin text in a Telugu cell is flagged; Telugu with a Latin name, labels and pivot targets are not', () => {
  const pasted = checkLine(item({ en, te: { ...te, prompt: en.prompt } }), { pivot: 'en' });
  const p = only(pasted.problems, 'script');
  assert.equal(p.field, 'langs.te.prompt');
  assert.match(p.message, /Telugu script for "te" \(100% of its letters are Latin\)/);
  const mixed = { ...te, prompt: `Lucy (లూసీ) ${te.prompt}` };
  assert.deepEqual(checkLine(item({ en, te: mixed }), { pivot: 'en' }).problems, []);
  // The pivot's response under the Telugu prompt is what `data generate --pivot-response` writes on purpose.
  assert.deepEqual(checkLine(item({ en, te: { ...te, response: en.response } }), { pivot: 'en' }).problems, []);
  // XNLI's labels are English in every language, and a response that is a choice is that label.
  const nli = (choices: string[]) => ({ prompt: 'Посылка: Мужчина играет на гитаре.', response: choices[0], choices });
  assert.deepEqual(checkLine(item({ ru: nli(['entailment', 'neutral']) }, '0')).problems, []);
  // Cyrillic in an English cell; and a language whose script is not known is never flagged.
  assert.equal(
    only(checkLine(item({ en: { prompt: 'Сколько будет три плюс четыре?' } })).problems, 'script').field,
    'langs.en.prompt',
  );
  assert.deepEqual(checkLine(item({ sr: { prompt: 'Колико је три плус четири?' } })).problems, []);
  assert.equal(
    only(checkLine(item({ 'sr-Latn': { prompt: 'Колико је три плус четири?' } })).problems, 'script').code,
    'script',
  );
});

test('answer: a response whose last number is not the answer; every way of writing the answer agrees', () => {
  const wrong = checkLine(item({ en, te: { ...te, response: '3 + 4 = 8. సమాధానం 8.' } }));
  const p = only(wrong.problems, 'answer');
  assert.equal(p.field, 'langs.te.response');
  assert.match(p.message, /ending in the answer 7 \(its last number reads 8\)/);
  const ok = (answer: string, lang: string, response: string) =>
    assert.deepEqual(
      checkLine(item({ [lang]: { prompt: 'p', response } }, answer)).problems,
      [],
      `${lang}: ${response}`,
    );
  ok('70000', 'de', 'Die Antwort ist 70.000.');
  ok('70000', 'fr', 'La réponse est 70 000.');
  ok('70000', 'zh', '答案是7万。');
  ok('140', 'bn', 'উত্তর হল ১৪০।');
  ok('3.5', 'de', 'Die Antwort ist 3,5.');
  ok('1', 'en', 'No number at all: nothing to compare.');
  // A multiple-choice answer is an index, not a number the response states.
  assert.deepEqual(
    checkLine(item({ en: { prompt: 'p', response: 'b 2', choices: ['a 1', 'b 2'] } }, '1')).problems,
    [],
  );
});

test('numbers: a prompt whose numbers differ from the pivot prompt', () => {
  const changed = { ...te, prompt: te.prompt.replace('4', '5') };
  const p = only(checkLine(item({ en, te: changed }), { pivot: 'en' }).problems, 'numbers');
  assert.equal(p.field, 'langs.te.prompt');
  assert.match(p.message, /en: 3, 4; this one: 3, 5/);
  assert.deepEqual(checkLine(item({ en, te: changed })).problems, [], 'no pivot, no comparison');
  const big = { prompt: 'A farm has 70,000 hens.', response: 'The answer is 70000.' };
  const fr = { prompt: 'Une ferme a 70 000 poules.', response: 'La réponse est 70000.' };
  assert.deepEqual(checkLine(item({ en: big, fr }, '70000'), { pivot: 'en' }).problems, []);
});

test('missing pivot: each item without it when others have it, one file warning when none has', () => {
  const some = checkDataset([item({ en }, '7', 'a'), item({ te }, '7', 'b')].join('\n'), { pivot: 'en' });
  const p = only(some.problems, 'missingPivot');
  assert.equal(p.line, 2);
  assert.equal(p.field, 'langs');
  const none = checkDataset([item({ te }, '7', 'a'), item({ te }, '7', 'b')].join('\n'), { pivot: 'en' });
  assert.equal(only(none.problems, 'missingPivot').line, undefined);
  assert.equal(checkDataset(item({ te }), {}).problems.length, 0, 'no pivot given, no check');
});

test('errors-only mode (the loader) skips every warning but no error', () => {
  const text = [item({ en, te: { ...te, prompt: en.prompt } }, ' 7', 'a'), '{"id":"b"}'].join('\n');
  const all = checkDataset(text, { pivot: 'en' }).problems.map((p) => p.code);
  const errors = checkDataset(text, { pivot: 'en', warnings: false }).problems.map((p) => p.code);
  assert.ok(all.includes('script') && all.includes('whitespace'), all.join());
  assert.deepEqual(errors, ['schema', 'schema']);
});

test('DatasetChecker re-checks only lines whose text changed', () => {
  const checker = new DatasetChecker({ pivot: 'en' });
  const lines = [item({ en }, '7', 'a'), item({ en }, '7', 'b'), item({ en }, '7', 'c')];
  const first = checker.check(lines);
  const next = [...lines];
  next[1] = item({ en }, '7', 'a');
  const second = checker.check(next);
  assert.equal(second.lines[0], first.lines[0], 'unchanged line: the same result object');
  assert.equal(second.lines[2], first.lines[2]);
  assert.notEqual(second.lines[1], first.lines[1]);
  assert.equal(only(second.problems, 'duplicateId').line, 2, 'file-level problems are recomputed');
});
