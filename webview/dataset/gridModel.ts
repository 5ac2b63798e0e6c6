// What the dataset grid knows, without the DOM: one row per document line (blank lines
// included, so a row's index is its line), the problems of each row and cell, the
// languages and their coverage, and which rows a filter keeps. A snapshot replaces the
// rows; a delta splices them, so rows the change did not touch keep their identity (the
// view reuses their elements, and an open cell editor survives).
import type { DatasetProblem } from '../../protocol/datasetCheck/problem';
import type { DatasetRow, HostToDataset, RowProblem } from '../../protocol/datasetMessages';
import { ScoreModel, type ScoreSort } from './scoreModel';

export type ItemRow = Extract<DatasetRow, { kind: 'item' }>;

/** A cell of an item row: id, answer, or a language's prompt or response. */
export type CellKey = 'id' | 'answer' | `${'prompt' | 'response'}:${string}`;

export interface Filter {
  /** Case-insensitive text to find in the id, the answer or any language's text. */
  text: string;
  /** Keep only items without this language. */
  missing: string | null;
  problemsOnly: boolean;
}

export class GridModel {
  rows: DatasetRow[] = [];
  file = '';
  pivot = 'en';
  /** Problems of the whole file (no line, e.g. no item has the pivot): shown above the grid. */
  wholeFile: DatasetProblem[] = [];
  /** A model's scores of the items, when a sidecar is loaded; and the score column rows are sorted by. */
  readonly scores = new ScoreModel();
  sort: ScoreSort | null = null;
  private fileProblems = new Map<number, DatasetProblem[]>();
  private haystacks = new WeakMap<DatasetRow, string>();

  apply(msg: Extract<HostToDataset, { type: 'snapshot' | 'rows' }>): void {
    if (msg.type === 'snapshot') {
      this.rows = msg.rows;
      this.file = msg.file;
      this.pivot = msg.pivot;
    } else this.rows.splice(msg.start, msg.deleteCount, ...msg.rows);
    this.fileProblems = new Map();
    this.wholeFile = [];
    for (const p of msg.fileProblems) {
      if (p.line === undefined) this.wholeFile.push(p);
      else this.fileProblems.set(p.line - 1, [...(this.fileProblems.get(p.line - 1) ?? []), p]);
    }
  }

  /** The problems of line `index`: its own and those found across lines (a duplicate id). */
  problems(index: number): RowProblem[] {
    const row = this.rows[index];
    const own = row && row.kind !== 'blank' ? row.problems : [];
    const across = this.fileProblems.get(index);
    return across ? [...own, ...across] : own;
  }

  get itemCount(): number {
    let n = 0;
    for (const r of this.rows) if (r.kind === 'item') n++;
    return n;
  }

  /** Lines that are not one JSON object (shown as their text, to be fixed in the text editor). */
  get unreadableCount(): number {
    let n = 0;
    for (const r of this.rows) if (r.kind === 'broken') n++;
    return n;
  }

  /** Per language, the items that have it (with a prompt: what training and evaluation read). */
  coverage(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.rows)
      if (r.kind === 'item')
        for (const l of r.langs) if (l.prompt !== undefined) counts.set(l.lang, (counts.get(l.lang) ?? 0) + 1);
    return counts;
  }

  /** Languages to show columns for: the pivot first, then `order`, then the rest alphabetically. */
  languages(extra: readonly string[], order: readonly string[]): string[] {
    const present = new Set<string>(extra);
    for (const r of this.rows) if (r.kind === 'item') for (const l of r.langs) present.add(l.lang);
    const rank = (l: string) => (l === this.pivot ? -1 : order.includes(l) ? order.indexOf(l) : order.length);
    return [...present].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  }

  /** Indices of the rows the filter keeps (blank lines never). */
  filter(f: Filter): number[] {
    const needle = f.text.trim().toLowerCase();
    const out: number[] = [];
    this.rows.forEach((row, i) => {
      if (row.kind === 'blank') return;
      if (f.problemsOnly && !this.problems(i).length) return;
      if (
        f.missing !== null &&
        (row.kind !== 'item' || row.langs.some((l) => l.lang === f.missing && l.prompt !== undefined))
      )
        return;
      if (needle && !this.haystack(row).includes(needle)) return;
      out.push(i);
    });
    return out;
  }

  private haystack(row: DatasetRow): string {
    let h = this.haystacks.get(row);
    if (h === undefined) {
      h =
        row.kind === 'item'
          ? [row.id, row.answer, ...row.langs.flatMap((l) => [l.prompt, l.response, ...(l.choices ?? [])])]
              .filter((s) => s != null)
              .join('\n')
              .toLowerCase()
          : row.kind === 'broken'
            ? row.text.toLowerCase()
            : '';
      this.haystacks.set(row, h);
    }
    return h;
  }
}

/** Which cell a problem belongs to; null: the row as a whole (unreadable JSON, the item itself). */
export function cellOf(p: { field?: string }): CellKey | 'langs' | null {
  const f = p.field;
  if (!f) return null;
  if (f === 'id' || f === 'answer' || f === 'langs') return f;
  const m = /^langs\.([^.]+)(?:\.(prompt|response|choices)(?:\.\d+)?)?$/.exec(f);
  if (!m) return null;
  // Choices are shown under the prompt; a language as a whole marks its prompt cell.
  return `${m[2] === 'response' ? 'response' : 'prompt'}:${m[1]}`;
}
