// Grid actions as document changes: the page names a row by line and id; the host edits
// that item wherever it is now, or says why not, and never edits another item.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatasetRows } from '../../../extension/datasetEditor/datasetRows';
import { type EditableLines, planAction } from '../../../extension/datasetEditor/editPlan';

const item = (id: string) => `{"id":"${id}","answer":"1","langs":{"en":{"prompt":"q"}}}`;

function doc(lines: string[], eol = '\n'): EditableLines {
  return { length: lines.length, at: (i) => lines[i], eol };
}

const rows = new DatasetRows('en');
const idOf = (t: string | undefined) => rows.idOf(t);

test('an edit lands on the item the page meant, even after its line moved', () => {
  const lines = [item('a'), item('b'), ''];
  const edit = { type: 'edit', index: 1, id: 'b', field: { key: 'answer' }, value: '2' } as const;
  const plan = planAction(edit, doc(lines), idOf, 'en');
  assert.ok(plan && 'change' in plan);
  assert.equal(plan.change.start.line, 1);
  // A line was inserted above in the text view since the page drew "b" on line 1.
  const moved = planAction(edit, doc([item('new'), ...lines]), idOf, 'en');
  assert.ok(moved && 'change' in moved);
  assert.equal(moved.change.start.line, 2);
  const gone = planAction(edit, doc([item('a'), '']), idOf, 'en');
  assert.deepEqual(gone, { notice: 'The item "b" is no longer in the file: the grid was out of date.' });
  // Nothing to change: no plan at all.
  assert.equal(planAction({ ...edit, value: '1' }, doc(lines), idOf, 'en'), null);
});

test('a line that cannot be edited is a notice, not an exception', () => {
  const plan = planAction(
    { type: 'edit', index: 0, id: null, field: { key: 'answer' }, value: '2' },
    doc(['{"id": oops', '']),
    idOf,
    'en',
  );
  assert.ok(plan && 'notice' in plan);
  assert.match(plan.notice, /not one JSON object/);
});

test('add and duplicate continue the ids and say which line to focus; delete removes the line', () => {
  const lines = [item('syn-0009'), item('syn-0010'), ''];
  const add = planAction({ type: 'addItem' }, doc(lines), idOf, 'sw');
  assert.ok(add && 'change' in add);
  assert.equal(add.focus, 2);
  assert.equal(add.change.text, '{"id":"syn-0011","answer":"","langs":{"sw":{"prompt":""}}}\n');
  const noBreak = planAction({ type: 'addItem' }, doc([item('a')], '\r\n'), idOf, 'en');
  assert.ok(noBreak && 'change' in noBreak);
  assert.equal(noBreak.focus, 1);
  assert.ok(noBreak.change.text.startsWith('\r\n'));
  const dup = planAction({ type: 'duplicateItem', index: 0, id: 'syn-0009' }, doc(lines), idOf, 'en');
  assert.ok(dup && 'change' in dup);
  assert.equal(dup.focus, 1);
  assert.match(dup.change.text, /"id":"syn-0009-copy"/);
  const del = planAction({ type: 'deleteItem', index: 1, id: 'syn-0010' }, doc(lines), idOf, 'en');
  assert.ok(del && 'change' in del);
  assert.deepEqual(
    [del.change.start, del.change.end],
    [
      { line: 1, character: 0 },
      { line: 2, character: 0 },
    ],
  );
});
