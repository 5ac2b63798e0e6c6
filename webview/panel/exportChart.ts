// A card's charts as one standalone SVG file: each chart cloned with the colours, dashes
// and fonts it has on screen written onto its elements as attributes (the charts take them
// from media/panel.css and VS Code's theme variables, which a file opened elsewhere does
// not have; and style attributes are forbidden by the webview's CSP anyway), laid side by
// side under a title, with a legend of the drawn lines and the theme's background.
import { svg } from '../dom';

// Presentation attributes read from each element's computed style (var(--vscode-…) resolved).
const PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
] as const;
const DRAWN = new Set(['path', 'line', 'rect', 'circle', 'text', 'polyline', 'polygon']);
const GAP = 16;
const TITLE_H = 26;
const LEGEND_ROW = 18;

export interface ExportedSvg {
  /** The file's text. */
  text: string;
  width: number;
  height: number;
}

export function exportSvg(charts: readonly SVGSVGElement[], title: string): ExportedSvg {
  const page = getComputedStyle(document.body);
  const fg = page.color;
  const font = page.fontFamily;
  const sizes = charts.map(viewBoxSize);
  const width = Math.max(240, sizes.reduce((w, s) => w + s.width, 0) + GAP * (charts.length - 1));
  const chartsH = Math.max(0, ...sizes.map((s) => s.height));
  const legend = legendItems(charts);
  const legendRows = layoutLegend(legend, width);
  const height = TITLE_H + chartsH + (legendRows.length ? legendRows.length * LEGEND_ROW + 6 : 0);

  const root = svg('svg', { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}` });
  setAttr(root, 'font-family', font);
  root.append(svg('rect', { x: 0, y: 0, width, height, fill: background() }));
  root.append(svg('text', { x: 4, y: 17, fill: fg, 'font-size': 14, 'font-weight': 'bold' }, title));
  let x = 0;
  charts.forEach((chart, i) => {
    const copy = styledClone(chart);
    const { width: w, height: h } = sizes[i];
    for (const a of ['class', 'role', 'aria-label', 'tabindex', 'aria-keyshortcuts', 'aria-describedby'])
      copy.removeAttribute(a);
    copy.setAttribute('x', String(x));
    copy.setAttribute('y', String(TITLE_H));
    copy.setAttribute('width', String(w));
    copy.setAttribute('height', String(h));
    root.append(copy);
    x += w + GAP;
  });
  legendRows.forEach((row, r) => {
    const y = TITLE_H + chartsH + 6 + r * LEGEND_ROW + LEGEND_ROW / 2;
    for (const item of row) {
      const line = svg('line', { x1: item.x, x2: item.x + 18, y1: y, y2: y, stroke: item.stroke, 'stroke-width': 3 });
      if (item.dash !== 'none') line.setAttribute('stroke-dasharray', item.dash);
      root.append(line, svg('text', { x: item.x + 22, y: y + 4, fill: fg, 'font-size': 11 }, item.label));
    }
  });
  const text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(root) + '\n';
  return { text, width, height };
}

/** A deep copy of `chart` with computed styles as attributes and pointer-only parts left out. */
function styledClone(chart: SVGSVGElement): SVGSVGElement {
  const copy = chart.cloneNode(true) as SVGSVGElement;
  const originals = [...chart.querySelectorAll('*')];
  const copies = [...copy.querySelectorAll('*')];
  originals.forEach((el, i) => {
    const c = copies[i];
    if (el.getAttribute('data-export') === 'skip' || el.classList.contains('hidden')) {
      c.remove();
      return;
    }
    if (!DRAWN.has(el.tagName) || el.closest('defs')) return;
    const cs = getComputedStyle(el);
    for (const p of PROPS) setAttr(c, p, cs.getPropertyValue(p));
    c.removeAttribute('class');
  });
  return copy;
}

function setAttr(el: Element, name: string, value: string): void {
  if (value) el.setAttribute(name, value);
}

function viewBoxSize(chart: SVGSVGElement): { width: number; height: number } {
  const vb = chart.viewBox.baseVal;
  return vb && vb.width > 0 ? { width: vb.width, height: vb.height } : { width: 400, height: 300 };
}

/** The page's background colour; the editor's when the body is transparent. */
function background(): string {
  const body = getComputedStyle(document.body).backgroundColor;
  if (body && body !== 'transparent' && body !== 'rgba(0, 0, 0, 0)') return body;
  const editor = getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim();
  return editor || '#ffffff';
}

interface LegendItem {
  label: string;
  stroke: string;
  dash: string;
  x: number;
}

/** The drawn lines (path.series with a label), as the chart shows them. */
function legendItems(charts: readonly SVGSVGElement[]): Omit<LegendItem, 'x'>[] {
  return charts.flatMap((chart) =>
    [...chart.querySelectorAll<SVGPathElement>('path.series[data-label]')].map((p) => {
      const cs = getComputedStyle(p);
      return { label: p.dataset.label ?? '', stroke: cs.stroke, dash: cs.strokeDasharray || 'none' };
    }),
  );
}

/** Legend items in rows that fit `width` (text measured at about 6.5 px a character). */
function layoutLegend(items: Omit<LegendItem, 'x'>[], width: number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let x = 4;
  for (const item of items) {
    const w = 30 + item.label.length * 6.5;
    if (!rows.length || x + w > width) {
      rows.push([]);
      x = 4;
    }
    rows.at(-1)!.push({ ...item, x });
    x += w;
  }
  return rows;
}
