// The Compare Runs tables: final accuracy per language (mean ± std over seeds) for the base
// model and every group, and the deltas against the reference group with their spread.
// A delta whose spread covers it is marked "within seed noise" (it is not a difference),
// one with a single seed on either side "spread unknown"; only the rest are coloured as a
// gain or a loss. Accuracies are 0..1 in the report and shown in % (deltas in points).
import type { AccuracyDelta, CompareGroup, CompareReport, Stat } from '../../protocol/compareReport';
import { h, svg } from '../dom';

const pct = (v: number) => (v * 100).toFixed(1);

export function statText(s: Stat | undefined): string {
  if (!s) return '–';
  return s.n > 1 ? `${pct(s.mean)} ± ${pct(s.std)}` : pct(s.mean);
}

export function deltaText(d: AccuracyDelta): string {
  const sign = d.delta > 0 ? '+' : d.delta < 0 ? '−' : '±';
  const spread = d.spread === null ? '?' : pct(d.spread);
  return `${sign}${pct(Math.abs(d.delta))} ± ${spread}`;
}

/** Header cells for the accuracy keys; low-resource languages get a star and say so. */
function headerRow(first: string, keys: readonly string[], lowResource: readonly string[]): HTMLTableRowElement {
  const tr = h('tr');
  tr.append(h('th', first, undefined, { scope: 'col' }));
  for (const k of keys) {
    const low = lowResource.includes(k);
    tr.append(
      h('th', low ? `${k}*` : k, low ? 'low-resource-lang' : undefined, {
        scope: 'col',
        ...(low ? { title: `${k}: low-resource language` } : {}),
      }),
    );
  }
  return tr;
}

function rowHeader(label: string, colour: string | undefined, note?: string): HTMLTableCellElement {
  const th = h('th', undefined, undefined, { scope: 'row' });
  if (colour) {
    const swatch = svg('svg', { class: 'swatch', viewBox: '0 0 10 10', width: 10, height: 10 });
    swatch.append(svg('rect', { width: 10, height: 10, rx: 2, fill: colour }));
    th.append(swatch, ' ');
  }
  th.append(label);
  if (note) th.append(h('span', ` ${note}`, 'muted'));
  return th;
}

function seeds(g: CompareGroup): string {
  const n = g.members.length;
  return `(${n} seed${n === 1 ? '' : 's'})`;
}

export function accuracyTable(report: CompareReport, colours: ReadonlyMap<string, string>): HTMLElement {
  const low = report.groups[0].lowResource;
  const table = h('table', undefined, 'data-table accuracy-table');
  table.append(h('caption', 'Final accuracy (%), mean ± std over seeds'), headerRow('group', report.languages, low));
  const rows: [CompareGroup, string][] = [
    ...(report.base ? [[report.base, 'base-row'] as [CompareGroup, string]] : []),
    ...report.groups.map((g): [CompareGroup, string] => [g, g.label === report.reference ? 'reference-row' : '']),
  ];
  for (const [g, cls] of rows) {
    const tr = h('tr', undefined, cls, { 'data-group': g.label });
    const note = g === report.base ? 'the model before training' : seeds(g);
    tr.append(rowHeader(g.label, colours.get(g.label), note));
    for (const k of report.languages) tr.append(h('td', statText(g.accuracy[k])));
    table.append(tr);
  }
  return scroller(table);
}

function deltaCell(d: AccuracyDelta | undefined): HTMLTableCellElement {
  if (!d) return h('td', '–');
  const td = h('td', undefined, 'delta');
  td.append(h('span', deltaText(d), 'delta-value'));
  if (d.withinNoise === true) {
    td.classList.add('within-noise');
    td.title = 'Within seed noise: the spread between seeds covers this delta; it is not a difference.';
    td.append(h('span', '≈ noise', 'noise-mark'));
  } else if (d.withinNoise === null) {
    td.classList.add('noise-unknown');
    td.title = 'One seed on a side: the spread is unknown, so this delta cannot be told from seed noise.';
    td.append(h('span', '1 seed', 'noise-mark'));
  } else {
    td.classList.add(d.delta > 0 ? 'gain' : 'loss');
    td.title = 'Outside seed noise: the delta is larger than the spread between seeds.';
  }
  return td;
}

export function deltaTable(report: CompareReport, colours: ReadonlyMap<string, string>): HTMLElement {
  const low = report.groups[0].lowResource;
  const table = h('table', undefined, 'data-table delta-table');
  table.append(
    h('caption', `Δ accuracy vs ${report.reference} (points), ± the spread of both groups: √(std² + std_ref²)`),
    headerRow('group', report.languages, low),
  );
  for (const d of report.deltas) {
    const isBase = report.base?.label === d.label;
    const tr = h('tr', undefined, isBase ? 'base-row' : '', { 'data-group': d.label });
    tr.append(rowHeader(d.label, colours.get(d.label), isBase ? 'the model before training' : undefined));
    for (const k of report.languages) tr.append(deltaCell(d.accuracy[k]));
    table.append(tr);
  }
  const key = h('p', undefined, 'noise-key muted');
  key.append(
    h('span', '≈ noise', 'noise-mark'),
    ' within seed noise (the spread covers the delta) · ',
    h('span', '1 seed', 'noise-mark'),
    ' spread unknown · coloured: outside seed noise · * low-resource',
  );
  const wrap = scroller(table);
  wrap.append(key);
  return wrap;
}

function scroller(table: HTMLTableElement): HTMLElement {
  const div = h('div', undefined, 'table-scroll');
  div.append(table);
  return div;
}
