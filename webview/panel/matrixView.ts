// A language x language similarity matrix as SVG: values in the cells and in each cell's
// tooltip, on a fixed viridis scale over [0, 1] (colour-blind safe, and the same colour
// means the same similarity at every step; values below 0 take the scale's low end, the
// cell text says the value), with the scale drawn under it so an export carries it too.
import { svg } from '../dom';
import { formatValue, viridis, viridisText } from './scales';

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
  const chart = svg('svg', { viewBox: `0 0 ${width} ${size + 8 + SCALE_H}`, class: 'matrix', role: 'img' });
  chart.setAttribute('aria-label', label);
  sim.languages.forEach((lang, r) => {
    chart.append(
      svg('text', { class: 'tick', x: PAD - 6, y: PAD + r * CELL + CELL / 2 + 4, 'text-anchor': 'end' }, lang),
      svg('text', { class: 'tick', x: PAD + r * CELL + CELL / 2, y: PAD - 8, 'text-anchor': 'middle' }, lang),
    );
    sim.languages.forEach((other, c) => {
      const v = sim.matrix[r]?.[c] ?? Number.NaN;
      const x = PAD + c * CELL;
      const y = PAD + r * CELL;
      const cell = svg('rect', { class: 'cell', x, y, width: CELL - 1, height: CELL - 1, fill: viridis(v) });
      cell.append(svg('title', {}, `${lang} · ${other}: ${formatValue(v)}`));
      const text = svg(
        'text',
        { class: 'cell-value', x: x + CELL / 2, y: y + CELL / 2 + 4, 'text-anchor': 'middle', fill: viridisText(v) },
        Number.isFinite(v) ? v.toFixed(2) : '–',
      );
      chart.append(cell, text);
    });
  });
  chart.append(...colourScale(PAD, size + 14, Math.max(n * CELL, 120)));
  return chart;
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
