// The grid's view of a document, kept on the host: one row per line, checked with the
// shared dataset checks. After a change it finds the lines that differ and returns them
// as one splice (the `rows` delta), so a keystroke in a 20,000-line file sends one row.
// Item rows carry their line's hash, which scores are matched against (stale or not).
// No vscode here: the session feeds it lines, the tests feed it arrays.
import { DatasetChecker, type DatasetProblem, fileProblems, type LineCheck } from '../../protocol/datasetCheck';
import type { LineSource } from '../../protocol/datasetEdits';
import type { DatasetRow, RowLanguage } from '../../protocol/datasetMessages';
import { itemHash } from '../../protocol/datasetScoresFile';

export interface RowsDelta {
  start: number;
  deleteCount: number;
  rows: DatasetRow[];
  fileProblems: DatasetProblem[];
}

export class DatasetRows {
  private texts: string[] = [];
  private checks: LineCheck[] = [];
  private readonly checker: DatasetChecker;

  constructor(readonly pivot: string) {
    this.checker = new DatasetChecker({ pivot });
  }

  /** Every line, from scratch (the page's snapshot). */
  reset(lines: LineSource): { rows: DatasetRow[]; fileProblems: DatasetProblem[] } {
    this.texts = Array.from({ length: lines.length }, (_, i) => lines.at(i)!);
    this.checks = this.texts.map((t) => this.checker.line(t));
    this.checker.retain(this.texts);
    return { rows: this.texts.map((t, i) => rowOf(t, this.checks[i])), fileProblems: this.fileProblems() };
  }

  /**
   * Catch up with the document: lines before `from` are known to be unchanged (the first
   * line any change since the last update touched), so comparing starts there, from both
   * ends. Null when no line differs.
   */
  update(lines: LineSource, from: number): RowsDelta | null {
    const old = this.texts;
    const n = lines.length;
    let start = Math.max(0, Math.min(from, old.length, n));
    // The hint is a lower bound (a change may leave its first line as it was): narrow it.
    while (start < Math.min(old.length, n) && old[start] === lines.at(start)) start++;
    let tail = 0;
    while (tail < Math.min(old.length, n) - start && old[old.length - 1 - tail] === lines.at(n - 1 - tail)) tail++;
    const deleteCount = old.length - tail - start;
    const inserted = Array.from({ length: n - tail - start }, (_, i) => lines.at(start + i)!);
    if (!deleteCount && !inserted.length) return null;
    const checks = inserted.map((t) => this.checker.line(t));
    this.texts.splice(start, deleteCount, ...inserted);
    this.checks.splice(start, deleteCount, ...checks);
    // Each edit leaves the old text's result behind; prune once they outnumber the lines.
    if (this.checker.size > 2 * this.texts.length + 256) this.checker.retain(this.texts);
    return {
      start,
      deleteCount,
      rows: inserted.map((t, i) => rowOf(t, checks[i])),
      fileProblems: this.fileProblems(),
    };
  }

  private fileProblems(): DatasetProblem[] {
    return fileProblems(this.texts, this.checks, this.checker.options);
  }

  /** The id on a line, when it has one (a string id, valid item or not). */
  idOf(text: string | undefined): string | null {
    if (text === undefined) return null;
    const value = this.checker.line(text).value;
    return isObject(value) && typeof value.id === 'string' ? value.id : null;
  }
}

/** What the grid shows of one line: the cells of a JSON object, even one that fails the schema. */
export function rowOf(text: string, check: LineCheck): DatasetRow {
  if (check.blank) return { kind: 'blank' };
  const v = check.value;
  if (!isObject(v)) return { kind: 'broken', text, problems: check.problems };
  const langs: RowLanguage[] = [];
  if (isObject(v.langs))
    for (const [lang, e] of Object.entries(v.langs)) {
      const entry: RowLanguage = { lang };
      if (isObject(e)) {
        if (typeof e.prompt === 'string') entry.prompt = e.prompt;
        if (typeof e.response === 'string') entry.response = e.response;
        if (Array.isArray(e.choices))
          entry.choices = e.choices.map((c) => (typeof c === 'string' ? c : JSON.stringify(c)));
      }
      langs.push(entry);
    }
  return {
    kind: 'item',
    id: typeof v.id === 'string' ? v.id : null,
    answer: typeof v.answer === 'string' ? v.answer : null,
    langs,
    problems: check.problems,
    hash: itemHash(text),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
