// Checking a whole `*.parallel.jsonl` text: every line (lineCheck.ts), then what only the
// file as a whole can say: duplicate ids, items without the pivot, an empty file. One
// implementation for the trainer's loader, `solar data validate`, the editor's diagnostics
// and the dataset grid, so they never disagree about a file.
import type { ParallelItem } from '../dataset';
import { memberAt, scanJson, spanAt } from './jsonSpans';
import { type CheckOptions, checkLine, type LineCheck } from './lineCheck';
import { type DatasetProblem, PROBLEM_CODES } from './problem';

export { type JsonNode, type JsonScan, memberAt, scanJson, spanAt } from './jsonSpans';
export { type CheckOptions, checkLine, type LineCheck } from './lineCheck';
export { DatasetProblem, type LineProblem, PROBLEM_CODES, ProblemFix, Severity } from './problem';

export interface DatasetCheck {
  /** One check per line of the text (index = line number - 1). */
  lines: LineCheck[];
  /** The items of the lines that pass the schema, in file order. */
  items: ParallelItem[];
  /** Every problem, by line (problems of the whole file first). */
  problems: DatasetProblem[];
}

/** Split as the loader always has: on "\n", a CR before it is whitespace the line check trims. */
export function datasetLines(text: string): string[] {
  return text.split('\n');
}

export function checkDataset(text: string | readonly string[], options: CheckOptions = {}): DatasetCheck {
  const texts = typeof text === 'string' ? datasetLines(text) : text;
  return assemble(
    texts,
    texts.map((t) => checkLine(t, options)),
    options,
  );
}

/**
 * The same check, remembering each line's result by its text, so that re-checking a
 * document after a keystroke parses only the lines that changed. Holds the results of
 * the last call only.
 */
export class DatasetChecker {
  private cache = new Map<string, LineCheck>();

  constructor(readonly options: CheckOptions = {}) {}

  check(texts: readonly string[]): DatasetCheck {
    const next = new Map<string, LineCheck>();
    const lines = texts.map((t) => {
      let c = next.get(t) ?? this.cache.get(t);
      if (!c) c = checkLine(t, this.options);
      next.set(t, c);
      return c;
    });
    this.cache = next;
    return assemble(texts, lines, this.options);
  }

  /** One line's check (cached), for a caller that re-checks a few lines and the file-level problems itself. */
  line(text: string): LineCheck {
    let c = this.cache.get(text);
    if (!c) {
      c = checkLine(text, this.options);
      this.cache.set(text, c);
    }
    return c;
  }

  /** Forget the results of every text not in `texts` (each keystroke leaves one behind). */
  retain(texts: readonly string[]): void {
    const keep = new Map<string, LineCheck>();
    for (const t of texts) {
      const c = this.cache.get(t);
      if (c) keep.set(t, c);
    }
    this.cache = keep;
  }

  /** How many line results are remembered. */
  get size(): number {
    return this.cache.size;
  }
}

function assemble(texts: readonly string[], lines: LineCheck[], options: CheckOptions): DatasetCheck {
  const problems: DatasetProblem[] = [];
  const items: ParallelItem[] = [];
  lines.forEach((c, i) => {
    for (const p of c.problems) problems.push({ line: i + 1, ...p });
    if (c.item) items.push(c.item);
  });
  problems.push(...fileProblems(texts, lines, options));
  // Stable: within a line, its own problems come before those found across lines (the loader's order).
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { lines, items, problems };
}

/**
 * What no single line can say: an id used before, items without the pivot (when some
 * items have it; when none has, one warning for the file), and a file without items.
 */
export function fileProblems(
  texts: readonly string[],
  lines: readonly LineCheck[],
  options: CheckOptions = {},
): DatasetProblem[] {
  const out: DatasetProblem[] = [];
  const seen = new Map<string, number>();
  let items = 0;
  let withPivot = 0;
  const withoutPivot: number[] = [];
  lines.forEach((c, i) => {
    if (!c.item) return;
    items++;
    const { id } = c.item;
    const prev = seen.get(id);
    if (prev === undefined) seen.set(id, i + 1);
    else {
      const scan = scanJson(texts[i]);
      const span = scan.ok ? spanAt(scan.root, ['id']) : undefined;
      out.push({
        line: i + 1,
        ...(span ? { column: span.start, endColumn: span.end } : {}),
        field: 'id',
        severity: 'error',
        code: PROBLEM_CODES.duplicateId,
        message: `a unique id ("${id}" is already used on line ${prev})`,
      });
    }
    if (options.pivot !== undefined) {
      if (c.item.langs[options.pivot]) withPivot++;
      else withoutPivot.push(i);
    }
  });
  if (!items && lines.every((c) => c.blank))
    out.push({
      severity: 'error',
      code: PROBLEM_CODES.empty,
      message: 'at least one parallel item (the file is empty)',
    });
  if (options.pivot === undefined || options.warnings === false || !items) return out;
  const pivot = options.pivot;
  if (!withPivot)
    out.push({
      severity: 'warning',
      code: PROBLEM_CODES.missingPivot,
      message: `the pivot language "${pivot}" in some items (no item has it: similarity to the pivot, consistency and alignment need it)`,
    });
  else
    for (const i of withoutPivot) {
      const scan = scanJson(texts[i]);
      // The key, not the value: the value is most of the line.
      const member = scan.ok ? memberAt(scan.root, ['langs'])?.member : undefined;
      const span = member && { start: member.keyStart, end: member.keyEnd };
      out.push({
        line: i + 1,
        ...(span ? { column: span.start, endColumn: span.end } : {}),
        field: 'langs',
        severity: 'warning',
        code: PROBLEM_CODES.missingPivot,
        message: `the pivot language "${pivot}" (this item has ${Object.keys(lines[i].item!.langs).join(', ')}; it is not aligned)`,
      });
    }
  return out;
}
