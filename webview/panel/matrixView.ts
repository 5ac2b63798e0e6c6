// A language x language similarity matrix as SVG: values in the cells and in each cell's
// tooltip and accessible name (the SVG is an ARIA table of rows and cells), on a fixed viridis scale over [0, 1] (colour-blind safe, and the same colour
// means the same similarity at every step; values below 0 take the scale's low end, the
// cell text says the value), with the scale drawn under it so an export carries it too.
import { svg } from '../dom';
import type { TableData } from './chartTable';
import { viridis, viridisText } from './scales';

const CELL = 48;
const PAD = 40;
const SCALE_H = 34;
let nextId = 0;

export interface Matrix {
  languages: string[];
  /** languages x languages. */
  matrix: number[][];
}

export function matrixSvg(sim: Matrix, label: string): SVGSVGElement {
  const n = sim.languages.length;
  const size = PAD + n * CELL;
  const width = Math.max(size, PAD + 120) + 20; // room for the scale's "1"
  // A table to assistive technology: rows of a row header and cells, each cell named with
  // its pair and value (the colour says nothing to a screen reader).
  const chart = svg('svg', { viewBox: `0 0 ${width} ${size + 8 + SCALE_H}`, class: 'matrix', role: 'table' });
  chart.setAttribute('aria-label', label);
  const heads = svg('g', { role: 'row' });
  heads.append(svg('text', { role: 'columnheader', 'aria-label': 'language' }));
  sim.languages.forEach((lang, c) => {
    heads.append(
      svg(
        'text',
        { class: 'tick', role: 'columnheader', x: PAD + c * CELL + CELL / 2, y: PAD - 8, 'text-anchor': 'middle' },
        lang,
      ),
    );
  });
  chart.append(heads);
  sim.languages.forEach((lang, r) => {
    const row = svg('g', { role: 'row' });
    row.append(
      svg(
        'text',
        { class: 'tick', role: 'rowheader', x: PAD - 6, y: PAD + r * CELL + CELL / 2 + 4, 'text-anchor': 'end' },
        lang,
      ),
    );
    sim.languages.forEach((other, c) => {
      const v = sim.matrix[r]?.[c] ?? Number.NaN;
      const x = PAD + c * CELL;
      const y = PAD + r * CELL;
      const name = cellName(lang, other, v);
      const g = svg('g', { role: 'cell', 'aria-label': name });
      const cell = svg('rect', { class: 'cell', x, y, width: CELL - 1, height: CELL - 1, fill: viridis(v) });
      cell.append(svg('title', {}, name));
      const text = svg(
        'text',
        {
          class: 'cell-value',
          x: x + CELL / 2,
          y: y + CELL / 2 + 4,
          'text-anchor': 'middle',
          fill: viridisText(v),
          'aria-hidden': 'true',
        },
        cellText(v),
      );
      g.append(cell, text);
      row.append(g);
    });
    chart.append(row);
  });
  const scale = svg('g', { 'aria-hidden': 'true' });
  scale.append(...colourScale(PAD, size + 14, Math.max(n * CELL, 120)));
  chart.append(scale);
  return chart;
}

/** A cell's value as written in it and in the table view: two decimals. */
export function cellText(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : '–';
}

/** "sw · te: 0.73": the pair and its similarity, the cell's tooltip and accessible name. */
function cellName(row: string, col: string, v: number): string {
  return `${row} · ${col}: ${cellText(v)}`;
}

/** The matrix as a table view: a row per language, a column per language. */
export function matrixTable(sim: Matrix): TableData {
  return {
    columns: ['language', ...sim.languages],
    rows: sim.languages.length,
    row: (r) => [sim.languages[r], ...sim.languages.map((_, c) => cellText(sim.matrix[r]?.[c] ?? Number.NaN))],
  };
}

/** The viridis scale as a gradient bar from 0 to 1 (stop colours as attributes: no inline style). */
function colourScale(x: number, y: number, width: number): SVGElement[] {
  const id = `solar-viridis-${nextId++}`;
  const defs = svg('defs');
  const gradient = svg('linearGradient', { id, x1: 0, x2: 1, y1: 0, y2: 0 });
  for (let i = 0; i <= 8; i++) gradient.append(svg('stop', { offset: i / 8, 'stop-color': viridis(i / 8) }));
  defs.append(gradient);
  return [
    defs,
    svg('text', { class: 'tick', x: x - 6, y: y + 9, 'text-anchor': 'end' }, '0'),
    svg('rect', { class: 'scale-bar', x, y, width, height: 10, fill: `url(#${id})` }),
    svg('text', { class: 'tick', x: x + width + 4, y: y + 9 }, '1'),
  ];
}
