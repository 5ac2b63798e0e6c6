// The dataset grid's edits as text changes of a `*.parallel.jsonl` document. The document
// is the single source of truth: every edit is one change confined to one line (or the
// insertion or removal of one line), found from the line's own JSON spans, so the other
// lines, and the rest of the edited line, stay byte for byte as they were (key order,
// spacing, escapes). The host turns a TextChange into a WorkspaceEdit: undo, redo, dirty
// state and save are VS Code's. Pure functions, no vscode: unit-tested as text in, text out.
import { type JsonMember, type JsonNode, memberAt, scanJson } from './datasetCheck/jsonSpans';

/** A position in the document: 0-based line index and UTF-16 character, as VS Code counts. */
export interface TextPosition {
  line: number;
  character: number;
}

/** Replace the text from `start` to `end` with `text`. */
export interface TextChange {
  start: TextPosition;
  end: TextPosition;
  text: string;
}

/**
 * The document's lines: an array, or the editor's document read line by line (only the
 * lines an edit touches are read, so a 20,000-line document is never copied for one edit).
 */
export interface LineSource {
  readonly length: number;
  at(index: number): string | undefined;
}

/** Which cell of an item: its id, its answer, or one language's prompt or response. */
export type CellField = { key: 'id' | 'answer' } | { key: 'prompt' | 'response'; lang: string };

/** An edit that cannot be made on the line as it is (it is not a JSON object, say). */
export class EditError extends Error {
  override name = 'EditError';
}

function objectOf(text: string): JsonNode & { kind: 'object' } {
  const scan = scanJson(text);
  if (!scan.ok || scan.root.kind !== 'object')
    throw new EditError('the line is not one JSON object: fix it in the text editor first');
  return scan.root;
}

/** The separators a line already uses (`":"` or `": "`, `","` or `", "`), so an inserted member looks like its neighbours. */
function styleOf(text: string, root: JsonNode & { kind: 'object' }): { colon: string; comma: string } {
  const [a, b] = root.members;
  return {
    colon: a ? text.slice(a.keyEnd, a.value.start) : ':',
    comma: a && b ? text.slice(a.value.end, b.keyStart) : ',',
  };
}

/** A column replacement inside one line. */
export interface LineChange {
  column: number;
  endColumn: number;
  text: string;
}

/**
 * Set a cell of the item on `text` to `value`; `null` removes it: a response is deleted,
 * a prompt takes the whole language of the item with it (the item has no translation in
 * that language any more). A missing language or field is inserted after its siblings.
 * Returns the change within the line, or null when there is nothing to change.
 */
export function setCell(text: string, field: CellField, value: string | null): LineChange | null {
  const root = objectOf(text);
  const style = styleOf(text, root);
  if (!('lang' in field)) {
    if (value === null) throw new EditError(`an item always has an ${field.key}`);
    return setAt(text, root, [field.key], value, style);
  }
  if (value === null) {
    const path = field.key === 'prompt' ? ['langs', field.lang] : ['langs', field.lang, 'response'];
    return removeAt(root, path);
  }
  return setAt(text, root, ['langs', field.lang, field.key], value, style);
}

function setAt(
  text: string,
  root: JsonNode,
  path: string[],
  value: string,
  style: { colon: string; comma: string },
): LineChange | null {
  const json = JSON.stringify(value);
  const found = memberAt(root, path);
  if (found) {
    if (text.slice(found.node.start, found.node.end) === json) return null;
    return { column: found.node.start, endColumn: found.node.end, text: json };
  }
  // The deepest ancestor that exists gets the missing rest, built as nested members.
  let depth = path.length - 1;
  while (depth > 0 && !memberAt(root, path.slice(0, depth))) depth--;
  const parent = depth === 0 ? root : memberAt(root, path.slice(0, depth))!.node;
  if (parent.kind !== 'object')
    throw new EditError(`"${path.slice(0, depth).join('.')}" is not an object: fix it in the text editor first`);
  let member = json;
  for (let i = path.length - 1; i > depth; i--) member = `{${JSON.stringify(path[i])}${style.colon}${member}}`;
  member = `${JSON.stringify(path[depth])}${style.colon}${member}`;
  const last: JsonMember | undefined = parent.members[parent.members.length - 1];
  return last
    ? { column: last.value.end, endColumn: last.value.end, text: style.comma + member }
    : { column: parent.start + 1, endColumn: parent.end - 1, text: member };
}

function removeAt(root: JsonNode, path: string[]): LineChange | null {
  const parent = memberAt(root, path.slice(0, -1))?.node;
  if (parent?.kind !== 'object') return null;
  const key = path[path.length - 1];
  const k = parent.members.findIndex((m) => m.key === key);
  if (k < 0) return null;
  const ms = parent.members;
  // With the comma that joined it to a neighbour: the one before it, or for the first member the one after.
  if (ms.length === 1) return { column: ms[0].keyStart, endColumn: ms[0].value.end, text: '' };
  if (k > 0) return { column: ms[k - 1].value.end, endColumn: ms[k].value.end, text: '' };
  return { column: ms[0].keyStart, endColumn: ms[1].keyStart, text: '' };
}

/** The line change as a document change on line `index`. */
export function lineChange(index: number, change: LineChange): TextChange {
  return {
    start: { line: index, character: change.column },
    end: { line: index, character: change.endColumn },
    text: change.text,
  };
}

/** Set a cell of the item on line `index` of `lines` (see setCell). */
export function editCell(lines: LineSource, index: number, field: CellField, value: string | null): TextChange | null {
  const change = setCell(line(lines, index), field, value);
  return change && lineChange(index, change);
}

/**
 * Insert `text` as a new line after line `after` (-1: before the first line; undefined:
 * after the last item, before a final empty line). `eol` is the document's line ending.
 */
export function insertLine(lines: LineSource, text: string, eol: string, after?: number): TextChange {
  const last = lines.length - 1;
  if (after === undefined) {
    // A file that ends with a line break has an empty last line: the new line goes before it.
    if (line(lines, last) === '') return at(last, 0, text + eol);
    return at(last, line(lines, last).length, eol + text);
  }
  if (after < 0) return at(0, 0, text + eol);
  return at(after, line(lines, after).length, eol + text);
}

/** Remove line `index` with its line break. */
export function deleteLine(lines: LineSource, index: number): TextChange {
  if (index < lines.length - 1)
    return { start: { line: index, character: 0 }, end: { line: index + 1, character: 0 }, text: '' };
  if (index === 0)
    return { start: { line: 0, character: 0 }, end: { line: 0, character: line(lines, 0).length }, text: '' };
  // The last line has no break of its own: take the one before it.
  return {
    start: { line: index - 1, character: line(lines, index - 1).length },
    end: { line: index, character: line(lines, index).length },
    text: '',
  };
}

/** A copy of the item on line `index`, with a new id, inserted after it. */
export function duplicateLine(
  lines: LineSource,
  index: number,
  ids: ReadonlySet<string>,
  eol: string,
): { change: TextChange; id: string } {
  const text = line(lines, index);
  const idNode = memberAt(objectOf(text), ['id'])?.node;
  if (idNode?.kind !== 'string') throw new EditError('the item has no id to copy: fix it in the text editor first');
  const old = JSON.parse(text.slice(idNode.start, idNode.end)) as string;
  const id = uniqueId(`${old}-copy`, ids);
  const copy = text.slice(0, idNode.start) + JSON.stringify(id) + text.slice(idNode.end);
  return { change: insertLine(lines, copy, eol, index), id };
}

/** A new item: a fresh id, an empty answer and the pivot's empty prompt, for the user to fill in. */
export function newItemLine(
  ids: ReadonlySet<string>,
  lastId: string | undefined,
  pivot: string,
): { text: string; id: string } {
  const id = uniqueId(lastId ?? 'item-0000', ids, true);
  return { text: JSON.stringify({ id, answer: '', langs: { [pivot]: { prompt: '' } } }), id };
}

/**
 * An id not in `ids`: `base` itself when free (unless `next`), else the number at its end
 * counted up with the same padding ("syn-000400" -> "syn-000401"), or "-2", "-3" … appended.
 */
export function uniqueId(base: string, ids: ReadonlySet<string>, next = false): string {
  if (!next && !ids.has(base)) return base;
  const m = /^(.*?)(\d+)$/.exec(base);
  for (let n = m ? Number(m[2]) + 1 : 2; ; n++) {
    const id = m ? m[1] + String(n).padStart(m[2].length, '0') : `${base}-${n}`;
    if (!ids.has(id)) return id;
  }
}

function at(index: number, character: number, text: string): TextChange {
  return { start: { line: index, character }, end: { line: index, character }, text };
}

function line(lines: LineSource, index: number): string {
  const text = index >= 0 ? lines.at(index) : undefined;
  if (text === undefined) throw new EditError(`line ${index + 1} is not in the document`);
  return text;
}
