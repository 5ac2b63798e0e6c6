// One page of the Generations card as a table: a row per item (its id and gold answer),
// a column per shown language with the prompt (folded: a details element), the generation,
// the answer extracted from it and a right/wrong mark (in words too, not colour only).
// Built afresh for each page: PAGE_SIZE rows at most.
import type { EvalOutput, EvalReport } from '../../protocol/evalReport';
import { formatAccuracy } from '../../protocol/format';
import { h } from '../dom';
import { sameAnswer } from './generationsModel';

const SKIP_TEXT: Record<string, string> = {
  tooLong: 'skipped: the prompt does not fit the context',
  noRoom: 'skipped: no room left for the answer',
};

export interface TableContext {
  report: EvalReport;
  langs: readonly string[];
  pivot?: string;
  lowResource: readonly string[];
}

export function generationsTable(ctx: TableContext, items: readonly number[]): HTMLTableElement {
  const { report, langs, pivot } = ctx;
  const table = h('table', undefined, 'gen-table');
  const head = h('tr');
  head.append(h('th', 'Item', undefined, { scope: 'col' }));
  for (const l of langs) {
    const tags = [l === pivot ? 'pivot' : '', ctx.lowResource.includes(l) ? 'low-resource' : ''].filter(Boolean);
    const th = h('th', undefined, undefined, { scope: 'col', 'data-lang': l });
    th.append(h('span', l, 'gen-lang'));
    if (tags.length) th.append(' ', h('span', `(${tags.join(', ')})`, 'muted'));
    const acc = report.accuracy?.[l];
    if (acc !== undefined) th.append(h('div', `${formatAccuracy(acc)} of ${report.scored?.[l] ?? '?'}`, 'muted'));
    head.append(th);
  }
  const body = h('tbody');
  for (const i of items) {
    const row = h('tr', undefined, undefined, { 'data-item': String(i) });
    const id = langs.map((l) => report.outputs[l]?.[i]?.id).find(Boolean) ?? `#${i + 1}`;
    const itemCell = h('th', undefined, 'gen-item', { scope: 'row' });
    itemCell.append(h('div', id, 'gen-id'));
    const gold = report.gold?.[i];
    if (gold !== undefined) itemCell.append(h('div', `gold ${gold}`, 'gen-gold'));
    row.append(itemCell);
    const pivotAnswer = pivot ? report.outputs[pivot]?.[i] : undefined;
    for (const l of langs) row.append(outputCell(report.outputs[l]?.[i], l, l === pivot ? undefined : pivotAnswer));
    body.append(row);
  }
  const thead = h('thead');
  thead.append(head);
  table.append(thead, body);
  return table;
}

function outputCell(o: EvalOutput | null | undefined, lang: string, pivot: EvalOutput | null | undefined): HTMLElement {
  const td = h('td', undefined, 'gen-cell', { 'data-lang': lang });
  if (!o) {
    td.append(h('span', 'not in this language', 'muted'));
    td.classList.add('gen-absent');
    return td;
  }
  if (o.prompt !== undefined) {
    const details = h('details', undefined, 'gen-prompt');
    details.append(h('summary', oneLine(o.prompt)), h('div', o.prompt, 'gen-prompt-text'));
    td.append(details);
  }
  if (o.skipped) {
    td.classList.add('gen-skipped');
    td.append(h('p', SKIP_TEXT[o.skipped] ?? `skipped: ${o.skipped}`, 'muted'));
    return td;
  }
  td.append(h('pre', o.text ?? '', 'gen-text'));
  const verdict = h('div', undefined, 'gen-verdict');
  if (o.answer !== undefined) verdict.append(h('span', `answer ${o.answer ?? 'none found'}`, 'gen-answer'));
  if (o.correct !== undefined) {
    td.classList.add(o.correct ? 'gen-right' : 'gen-wrong');
    verdict.append(h('span', o.correct ? '✓ right' : '✗ wrong', o.correct ? 'mark right' : 'mark wrong'));
  }
  if (pivot?.text !== undefined && o.answer !== undefined && !sameAnswer(o.answer, pivot.answer)) {
    td.classList.add('gen-disagrees');
    verdict.append(h('span', '≠ pivot', 'mark disagree'));
  }
  td.append(verdict);
  return td;
}

/** The prompt's first line, cut to a summary's length. */
function oneLine(s: string): string {
  const line = s.trim().split('\n')[0];
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}
