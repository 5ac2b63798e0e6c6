// The dataset grid's edits as text changes: each edit is an exact change of one line (or
// the insertion or removal of one line), and every other byte of the file stays as it was.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDataset } from '../../protocol/datasetCheck';
import {
  deleteLine,
  duplicateLine,
  EditError,
  editCell,
  insertLine,
  newItemLine,
  setCell,
  type TextChange,
  uniqueId,
} from '../../protocol/datasetEdits';

/** Apply a change to a text the way VS Code's WorkspaceEdit does (positions in lines split on the EOL). */
function apply(text: string, change: TextChange | null, eol = '\n'): string {
  if (!change) return text;
  const lines = text.split(eol);
  const offset = (p: TextChange['start']) =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + eol.length, 0) + p.character;
  return text.slice(0, offset(change.start)) + change.text + text.slice(offset(change.end));
}

const A =
  '{"id":"a","answer":"7","langs":{"en":{"prompt":"3 + 4?","response":"The answer is 7."},"sw":{"prompt":"3 + 4?"}}}';
const B = '{"id": "b", "answer": "2", "langs": {"en": {"prompt": "1 + 1?"}}}';
const BROKEN = '{"id":"c", oops';
const FILE = [A, B, BROKEN, ''].join('\n');
const lines = FILE.split('\n');

function edited(
  index: number,
  ...args: Parameters<typeof editCell> extends [unknown, unknown, ...infer R] ? R : never
) {
  const text = apply(FILE, editCell(lines, index, ...args));
  const out = text.split('\n');
  // Every line but the edited one is byte-identical.
  out.forEach((l, i) => i !== index && assert.equal(l, lines[i], `line ${i} untouched`));
  return out[index];
}

test('setting an existing cell replaces only its string literal', () => {
  assert.equal(
    edited(0, { key: 'prompt', lang: 'sw' }, 'Tatu + nne?\n"sawa"'),
    A.replace('"sw":{"prompt":"3 + 4?"}', '"sw":{"prompt":"Tatu + nne?\\n\\"sawa\\""}'),
  );
  assert.equal(edited(1, { key: 'answer' }, '3'), B.replace('"answer": "2"', '"answer": "3"'));
  assert.equal(edited(0, { key: 'id' }, 'a2'), A.replace('"id":"a"', '"id":"a2"'));
  // The same value: no change at all.
  assert.equal(editCell(lines, 0, { key: 'answer' }, '7'), null);
});

test("a missing response or language is inserted after its siblings, in the line's own spacing", () => {
  assert.equal(
    edited(0, { key: 'response', lang: 'sw' }, 'Jibu ni 7.'),
    A.replace('"sw":{"prompt":"3 + 4?"}', '"sw":{"prompt":"3 + 4?","response":"Jibu ni 7."}'),
  );
  assert.equal(
    edited(1, { key: 'prompt', lang: 'te' }, 'ఒకటి + ఒకటి?'),
    B.replace('"1 + 1?"}}', '"1 + 1?"}, "te": {"prompt": "ఒకటి + ఒకటి?"}}'),
  );
  // A response for a language the item lacks creates the language with only that field.
  assert.equal(
    edited(1, { key: 'response', lang: 'ar' }, 'الجواب ٢'),
    B.replace('"1 + 1?"}}', '"1 + 1?"}, "ar": {"response": "الجواب ٢"}}'),
  );
  // Into an empty object, no comma.
  assert.equal(
    apply(
      '{"id":"e","answer":"1","langs":{}}',
      editCell(['{"id":"e","answer":"1","langs":{}}'], 0, { key: 'prompt', lang: 'en' }, 'q'),
    ),
    '{"id":"e","answer":"1","langs":{"en":{"prompt":"q"}}}',
  );
});

test('clearing removes: a response with its comma, a prompt with its whole language', () => {
  assert.equal(edited(0, { key: 'response', lang: 'en' }, null), A.replace(',"response":"The answer is 7."', ''));
  assert.equal(edited(0, { key: 'prompt', lang: 'sw' }, null), A.replace(',"sw":{"prompt":"3 + 4?"}', ''));
  assert.equal(
    edited(0, { key: 'prompt', lang: 'en' }, null),
    A.replace('"en":{"prompt":"3 + 4?","response":"The answer is 7."},', ''),
  );
  assert.equal(edited(1, { key: 'prompt', lang: 'en' }, null), B.replace('"en": {"prompt": "1 + 1?"}', ''));
  assert.equal(editCell(lines, 1, { key: 'response', lang: 'en' }, null), null, 'nothing to remove');
  for (const index of [0, 1]) {
    const after = apply(FILE, editCell(lines, index, { key: 'prompt', lang: 'en' }, null)).split('\n')[index];
    JSON.parse(after); // still one JSON object
  }
  assert.throws(() => setCell(A, { key: 'id' }, null), EditError);
});

test('a line that is not a JSON object is refused, never guessed at', () => {
  assert.throws(() => editCell(lines, 2, { key: 'answer' }, '1'), EditError);
  assert.throws(
    () => setCell('{"id":"a","answer":"1","langs":[]}', { key: 'prompt', lang: 'en' }, 'q'),
    /"langs" is not an object/,
  );
});

test("insert, delete and duplicate lines keep the other lines and the file's end of line", () => {
  const add = insertLine(lines, 'NEW', '\n');
  assert.equal(apply(FILE, add), [A, B, BROKEN, 'NEW', ''].join('\n'), 'before the final empty line');
  const noFinalBreak = [A, B].join('\n');
  assert.equal(apply(noFinalBreak, insertLine([A, B], 'NEW', '\n')), [A, B, 'NEW'].join('\n'));
  assert.equal(apply(FILE, insertLine(lines, 'NEW', '\n', 0)), [A, 'NEW', B, BROKEN, ''].join('\n'));
  assert.equal(apply(FILE, insertLine(lines, 'NEW', '\n', -1)), ['NEW', A, B, BROKEN, ''].join('\n'));
  const crlf = [A, B, ''].join('\r\n');
  assert.equal(apply(crlf, insertLine([A, B, ''], 'NEW', '\r\n', 0), '\r\n'), [A, 'NEW', B, ''].join('\r\n'));

  assert.equal(apply(FILE, deleteLine(lines, 1)), [A, BROKEN, ''].join('\n'));
  assert.equal(apply(noFinalBreak, deleteLine([A, B], 1)), A, 'the last line takes the break before it');
  assert.equal(apply(A, deleteLine([A], 0)), '');
  assert.equal(apply(crlf, deleteLine([A, B, ''], 0), '\r\n'), [B, ''].join('\r\n'));

  const ids = new Set(['a', 'b', 'a-copy']);
  const dup = duplicateLine(lines, 0, ids, '\n');
  assert.equal(dup.id, 'a-copy-2');
  assert.equal(apply(FILE, dup.change), [A, A.replace('"id":"a"', '"id":"a-copy-2"'), B, BROKEN, ''].join('\n'));
  assert.throws(() => duplicateLine(lines, 2, ids, '\n'), EditError);
});

test("new ids continue the file's numbering; a new item is one line the checks point to", () => {
  const ids = new Set(['syn-000399', 'syn-000400']);
  assert.equal(uniqueId('syn-000400', ids, true), 'syn-000401');
  assert.equal(uniqueId('syn-000399', ids, true), 'syn-000401');
  assert.equal(uniqueId('x', new Set(['x'])), 'x-2');
  assert.equal(uniqueId('x', new Set()), 'x');
  const { text, id } = newItemLine(ids, 'syn-000400', 'en');
  assert.equal(id, 'syn-000401');
  assert.equal(text, '{"id":"syn-000401","answer":"","langs":{"en":{"prompt":""}}}');
  // Empty answer and prompt are what the grid then shows as cells to fill in.
  assert.deepEqual(
    checkDataset(text).problems.map((p) => p.field),
    ['answer', 'langs.en.prompt'],
  );
  assert.equal(newItemLine(new Set(), undefined, 'sw').id, 'item-0001');
});
