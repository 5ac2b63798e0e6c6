// The sidebar's small drawings of a run (RunGlance from the host): the training loss as a
// sparkline and the latest similarity matrix as a small heatmap on the panel's fixed
// viridis scale. Sized by viewBox, so they fit the sidebar's width; a title on each says
// the figures in words (hover, and screen readers).
import type { RunGlance } from '../protocol/webviewMessages';
import { svg } from './dom';
import { extent, formatValue, linearScale, viridis } from './panel/scales';

const SPARK_W = 200;
const SPARK_H = 40;
const PAD = 2;

/** The loss over steps as one line; null with fewer than two points (nothing to draw). */
export function lossSparkline(loss: RunGlance['loss']): SVGSVGElement | null {
  if (loss.length < 2) return null;
  const x = linearScale([loss[0].step, loss[loss.length - 1].step], [PAD, SPARK_W - PAD]);
  // Higher loss up top: the y range runs from the bottom edge to the top one.
  const y = linearScale(extent(loss.map((p) => p.value)), [SPARK_H - PAD, PAD]);
  const d = loss.map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)} ${y(p.value).toFixed(1)}`).join(' ');
  const first = loss[0];
  const last = loss[loss.length - 1];
  const words = `Training loss from ${formatValue(first.value)} at step ${Math.round(first.step)} to ${formatValue(last.value)} at step ${Math.round(last.step)}`;
  const chart = svg('svg', {
    class: 'glance-spark',
    viewBox: `0 0 ${SPARK_W} ${SPARK_H}`,
    preserveAspectRatio: 'none',
    role: 'img',
    'aria-label': words,
  });
  chart.append(svg('title', {}, words), svg('path', { class: 'glance-line', d }));
  return chart;
}

const CELL = 14;
const LABEL = 22;

/** The language x language similarity matrix, one coloured cell per pair, values on hover. */
export function miniHeatmap(sim: NonNullable<NonNullable<RunGlance['lastEval']>['similarity']>, step: number) {
  const n = sim.languages.length;
  const size = LABEL + n * CELL;
  const chart = svg('svg', {
    class: 'glance-heatmap',
    viewBox: `0 0 ${size} ${size}`,
    role: 'img',
    'aria-label': `Similarity between languages at step ${step}`,
  });
  sim.languages.forEach((lang, r) => {
    chart.append(
      svg(
        'text',
        { class: 'glance-tick', x: LABEL - 3, y: LABEL + r * CELL + CELL / 2 + 3, 'text-anchor': 'end' },
        lang,
      ),
      svg(
        'text',
        { class: 'glance-tick', x: LABEL + r * CELL + CELL / 2, y: LABEL - 4, 'text-anchor': 'middle' },
        lang,
      ),
    );
    sim.languages.forEach((other, c) => {
      const v = sim.matrix[r]?.[c] ?? Number.NaN;
      const cell = svg('rect', {
        class: 'glance-cell',
        x: LABEL + c * CELL,
        y: LABEL + r * CELL,
        width: CELL - 1,
        height: CELL - 1,
        fill: viridis(v),
      });
      cell.append(svg('title', {}, `${lang} · ${other}: ${formatValue(v)}`));
      chart.append(cell);
    });
  });
  return chart;
}
