// What the Generations card shows of a saved evaluation (protocol/evalReport.ts): the
// languages in column order, the items a filter keeps, and one page of them. Pure (no
// DOM), so it is unit-tested; a 1000-item report is filtered in one pass over the shown
// languages and only a page of rows is ever built.
import type { EvalOutput, EvalReport } from '../../protocol/evalReport';
import { reportItems } from '../../protocol/evalReport';

export const FILTERS = ['all', 'wrong', 'disagree'] as const;
export type Filter = (typeof FILTERS)[number];

/** Rows per page: few enough to build at once, many enough to scan. */
export const PAGE_SIZE = 20;

/** Columns shown when the user has not picked languages: the pivot and up to this many in all. */
const DEFAULT_COLUMNS = 4;

/** The report's languages, the pivot first, then low-resource ones, then the rest alphabetically. */
export function languageOrder(report: EvalReport, pivot: string | undefined, lowResource: readonly string[]): string[] {
  const rank = (l: string) => (l === pivot ? 0 : lowResource.includes(l) ? 1 : 2);
  return Object.keys(report.outputs).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The picked languages that the report has, in column order; the default pick when none remain. */
export function shownLanguages(order: readonly string[], picked: readonly string[] | null): string[] {
  const kept = picked ? order.filter((l) => picked.includes(l)) : [];
  return kept.length ? kept : order.slice(0, DEFAULT_COLUMNS);
}

/** A scored output: one with a generation (skipped items and missing languages are not). */
function scored(o: EvalOutput | null | undefined): o is EvalOutput & { text: string } {
  return !!o && o.text !== undefined;
}

/**
 * Two extracted answers agree: equal as numbers when both read as numbers (answers are
 * canonical, "7" and "7.0" still agree), else as trimmed text. No answer agrees with none.
 */
export function sameAnswer(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x === y;
  return a.trim() === b.trim();
}

/**
 * Indices of the items a filter keeps, over the shown languages: `wrong`, an item some
 * shown language got wrong; `disagree`, an item where some shown language's answer differs
 * from the pivot's (both scored; the pivot itself need not be shown).
 */
export function filterItems(report: EvalReport, langs: readonly string[], filter: Filter, pivot?: string): number[] {
  const n = reportItems(report);
  const out: number[] = [];
  const columns = langs.map((l) => report.outputs[l] ?? []);
  const pivotCol = pivot ? report.outputs[pivot] : undefined;
  const others = langs.flatMap((l, k) => (l === pivot ? [] : [columns[k]]));
  for (let i = 0; i < n; i++) {
    if (filter === 'all') out.push(i);
    else if (filter === 'wrong') {
      if (columns.some((c) => scored(c[i]) && c[i]?.correct === false)) out.push(i);
    } else {
      const p = pivotCol?.[i];
      if (!scored(p)) continue;
      if (others.some((c) => scored(c[i]) && !sameAnswer(c[i]?.answer, p.answer))) out.push(i);
    }
  }
  return out;
}

export interface Page {
  /** 0-based page index, clamped to the pages there are. */
  index: number;
  pages: number;
  /** The item indices on this page. */
  items: number[];
  /** 1-based positions of the first and last row in the filtered list (0, 0 when empty). */
  from: number;
  to: number;
}

export function pageOf(kept: readonly number[], index: number, size = PAGE_SIZE): Page {
  const pages = Math.max(1, Math.ceil(kept.length / size));
  const i = Math.min(Math.max(0, Math.floor(index)), pages - 1);
  const items = kept.slice(i * size, (i + 1) * size);
  return { index: i, pages, items, from: items.length ? i * size + 1 : 0, to: i * size + items.length };
}

/** Whether the report has the fields the browser needs beyond the generation text. */
export function isDetailed(report: EvalReport): boolean {
  return Object.values(report.outputs).some((col) => col.some((o) => scored(o) && o.correct !== undefined));
}
