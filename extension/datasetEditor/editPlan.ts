// What a grid action becomes in the document: one TextChange, or a notice saying why not.
// The page names a row by its line index and the id it showed there; the document may
// have moved on since (an edit in the text view, a git checkout), so the id is checked
// and, when the line moved, looked up — an edit never lands on another item.
import {
  deleteLine,
  duplicateLine,
  EditError,
  editCell,
  insertLine,
  type LineSource,
  newItemLine,
  type TextChange,
} from '../../protocol/datasetEdits';
import type { DatasetToHost } from '../../protocol/datasetMessages';

/** The document as an edit sees it. */
export interface EditableLines extends LineSource {
  /** "\n" or "\r\n", whichever the document uses. */
  readonly eol: string;
}

export type Action = Exclude<DatasetToHost, { type: 'ready' } | { type: 'reveal' } | { type: 'score' }>;

export type Plan =
  | { change: TextChange /** The line the page should scroll to and edit (a new item). */; focus?: number }
  | { notice: string }
  | null;

export function planAction(
  action: Action,
  lines: EditableLines,
  idOf: (text: string | undefined) => string | null,
  pivot: string,
): Plan {
  try {
    if (action.type === 'addItem') {
      const ids = allIds(lines, idOf);
      const { text } = newItemLine(ids, lastId(lines, idOf), pivot);
      const change = insertLine(lines, text, lines.eol);
      return { change, focus: change.start.line + (change.text.startsWith(lines.eol) ? 1 : 0) };
    }
    const index = locate(lines, action.index, action.id, idOf);
    if (index === undefined)
      return {
        notice: `The item${action.id ? ` "${action.id}"` : ''} is no longer in the file: the grid was out of date.`,
      };
    if (action.type === 'edit') {
      const change = editCell(lines, index, action.field, action.value);
      return change && { change };
    }
    if (action.type === 'deleteItem') return { change: deleteLine(lines, index) };
    const { change } = duplicateLine(lines, index, allIds(lines, idOf), lines.eol);
    return { change, focus: index + 1 };
  } catch (e) {
    if (e instanceof EditError) return { notice: `Cannot change the item: ${e.message}.` };
    throw e;
  }
}

/** The line holding the item the page meant: its line if the id still matches, else where that id is now. */
function locate(
  lines: LineSource,
  index: number,
  id: string | null,
  idOf: (text: string | undefined) => string | null,
): number | undefined {
  if (index < lines.length && idOf(lines.at(index)) === id) return index;
  if (id === null) return undefined;
  for (let i = 0; i < lines.length; i++) if (idOf(lines.at(i)) === id) return i;
  return undefined;
}

function allIds(lines: LineSource, idOf: (text: string | undefined) => string | null): Set<string> {
  const ids = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const id = idOf(lines.at(i));
    if (id !== null) ids.add(id);
  }
  return ids;
}

/** The id of the last item: a new item continues its numbering. */
function lastId(lines: LineSource, idOf: (text: string | undefined) => string | null): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const id = idOf(lines.at(i));
    if (id !== null) return id;
  }
  return undefined;
}
