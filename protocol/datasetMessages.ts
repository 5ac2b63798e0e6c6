// Messages between the dataset editor's host (extension/datasetEditor/) and its grid
// (webview/dataset/). Validated where they arrive, both ways. The page says `ready`; the
// host answers with a `snapshot` of every line, then `rows` deltas that splice the lines
// a document change touched. The grid never edits text itself: it asks the host, whose
// WorkspaceEdit changes the document, whose change comes back as a delta. A model's scores
// of the items (protocol/datasetScores.ts) come as a `scores` message of their own, after
// the snapshot and whenever the sidecar changes; each item row carries its line's hash, so
// the page tells an item edited since it was scored (its scores are stale) by itself.
import { z } from 'zod';
import { DatasetProblem } from './datasetCheck/problem';
import { DatasetScores } from './datasetScores';

/** A problem of one row (its line is the row's). */
export const RowProblem = DatasetProblem.omit({ line: true });
export type RowProblem = z.infer<typeof RowProblem>;

/** One language of an item as the grid shows it: what is there, even when it fails the schema. */
export const RowLanguage = z.object({
  /** As written in the file, valid or not ("EN" is shown, and flagged). */
  lang: z.string(),
  prompt: z.string().optional(),
  response: z.string().optional(),
  choices: z.array(z.string()).optional(),
});
export type RowLanguage = z.infer<typeof RowLanguage>;

/**
 * One line of the document. `item`: a JSON object, shown as cells (id or answer null when
 * absent or not text); `broken`: a line that is not a JSON object, shown as its text;
 * `blank`: an empty line (not a row of the grid, but it keeps line numbers aligned).
 */
export const DatasetRow = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('blank') }),
  z.object({
    kind: z.literal('item'),
    id: z.string().nullable(),
    answer: z.string().nullable(),
    /** In file order (an array, so that no language code can act as an object key). */
    langs: z.array(RowLanguage),
    problems: z.array(RowProblem),
    /** The line's itemHash (protocol/datasetScoresFile.ts): scores with another hash are stale. */
    hash: z.string().optional(),
  }),
  z.object({ kind: z.literal('broken'), text: z.string(), problems: z.array(RowProblem) }),
]);
export type DatasetRow = z.infer<typeof DatasetRow>;

export const HostToDataset = z.discriminatedUnion('type', [
  /** Every line of the document; replaces what the page held. */
  z.object({
    type: z.literal('snapshot'),
    /** The file's name, for the header. */
    file: z.string(),
    /** Shown first, and what coverage is counted against. */
    pivot: z.string(),
    rows: z.array(DatasetRow),
    /** Problems found across lines (duplicate ids, items without the pivot), with their lines. */
    fileProblems: z.array(DatasetProblem),
  }),
  /** Lines `start` … `start + deleteCount - 1` were replaced by `rows`. */
  z.object({
    type: z.literal('rows'),
    start: z.number().int().nonnegative(),
    deleteCount: z.number().int().nonnegative(),
    rows: z.array(DatasetRow),
    fileProblems: z.array(DatasetProblem),
    /** A line to scroll to and start editing: the item the user just added or duplicated. */
    focus: z.number().int().nonnegative().optional(),
  }),
  /** Something the user asked for could not be done (the line changed meanwhile, say). */
  z.object({ type: z.literal('notice'), message: z.string() }),
  /** The scores sidecar next to the file, validated; null: there is none (any shown are removed). */
  z.object({ type: z.literal('scores'), scores: DatasetScores.nullable() }),
  /** A `solar data score` of this file is under way (with its progress), or no longer. */
  z.object({ type: z.literal('scoring'), running: z.boolean(), message: z.string().optional() }),
]);
export type HostToDataset = z.infer<typeof HostToDataset>;

export const CellField = z.union([
  z.object({ key: z.enum(['id', 'answer']) }),
  z.object({ key: z.enum(['prompt', 'response']), lang: z.string().min(1) }),
]);

/** The row an action is for: its line index, and its id as the page saw it (checked by the host before editing). */
const Target = { index: z.number().int().nonnegative(), id: z.string().nullable() };

export const DatasetToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Set a cell; null clears it (a response is removed, a prompt removes the item's language). */
  z.object({ type: z.literal('edit'), ...Target, field: CellField, value: z.string().nullable() }),
  /** A new item at the end of the file. */
  z.object({ type: z.literal('addItem') }),
  z.object({ type: z.literal('deleteItem'), ...Target }),
  z.object({ type: z.literal('duplicateItem'), ...Target }),
  /** Show the line in the text editor (a broken line is fixed there). */
  z.object({ type: z.literal('reveal'), index: z.number().int().nonnegative(), column: z.number().int().optional() }),
  /**
   * "Score with Run…": the host asks which run and scores the file. `changedOnly`: score
   * only the items new or edited since the shown scores, with the same checkpoint.
   */
  z.object({ type: z.literal('score'), changedOnly: z.boolean().optional() }),
]);
export type DatasetToHost = z.infer<typeof DatasetToHost>;
