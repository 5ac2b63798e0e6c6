// The line above the grid about a model's scores: "Score with Run…" (the host asks which
// run and runs `solar data score` in the background), "Re-score changed items" once items
// were edited or added since (the same checkpoint, only those items), what the shown scores are (run,
// checkpoint step, when, how many items changed since), the scales of the score columns,
// and, while a scoring runs, its progress (the button is disabled meanwhile).
import type { DatasetRow } from '../../protocol/datasetMessages';
import { SCORE_METRICS } from '../../protocol/datasetScores';
import { button as controlButton } from '../controls';
import { h, svg } from '../dom';
import { viridis } from '../panel/scales';
import { metricLabel } from './scoreCells';
import { SCORE_DOMAINS, type ScoreModel } from './scoreModel';

/** Stops drawn in a legend's colour ramp. */
const RAMP_STOPS = 12;

function ramp(): SVGSVGElement {
  const s = svg('svg', {
    class: 'ds-ramp',
    viewBox: `0 0 ${RAMP_STOPS} 1`,
    preserveAspectRatio: 'none',
    'aria-hidden': 'true',
  });
  for (let i = 0; i < RAMP_STOPS; i++)
    s.append(svg('rect', { x: i, y: 0, width: 1.02, height: 1, fill: viridis(i / (RAMP_STOPS - 1)) }));
  return s;
}

export class ScoreBar {
  readonly el = h('div', undefined, 'ds-scorebar');
  private readonly button = controlButton('Score with Run…', 'ds-score-run', {
    title: "Score every item with a run's newest checkpoint: distance to the pivot and response loss per language",
  });
  private readonly rescore = controlButton(
    'Re-score changed items',
    'ds-rescore hidden',
    { title: 'Score only the items edited or added since, with the checkpoint of the scores shown' },
    true,
  );
  private readonly status = h('span', undefined, 'ds-score-status muted', { 'aria-live': 'polite' });
  private readonly legend = h('span', undefined, 'ds-score-legend');
  private running: string | null = null;

  constructor(score: (changedOnly: boolean) => void) {
    this.button.addEventListener('click', () => score(false));
    this.rescore.addEventListener('click', () => score(true));
    this.el.append(this.button, this.rescore, this.status, this.legend);
  }

  /** A scoring started (with its progress) or ended. */
  scoring(running: boolean, message?: string): void {
    this.running = running ? (message ?? 'Scoring…') : null;
    this.button.disabled = running;
    this.rescore.disabled = running;
  }

  update(scores: ScoreModel, rows: readonly DatasetRow[]): void {
    const s = scores.scores;
    const parts: string[] = [];
    if (this.running) parts.push(this.running);
    if (s) {
      const when = s.scoredAt.slice(0, 16).replace('T', ' ');
      parts.push(`Scores by ${s.run.name}, checkpoint step ${s.run.step}, ${when} UTC`);
      const { stale, unscored } = scores.counts(rows);
      if (stale) parts.push(`${stale} item${stale === 1 ? '' : 's'} changed since (stale)`);
      if (unscored) parts.push(`${unscored} not scored`);
      this.rescore.classList.toggle('hidden', !(stale + unscored));
    } else {
      this.rescore.classList.add('hidden');
      if (!this.running) parts.push('No scores yet');
    }
    this.status.textContent = parts.join(' · ');
    this.status.title = s ? `${s.run.dir}\n${s.run.checkpoint}` : '';
    this.legend.replaceChildren(
      ...(s
        ? SCORE_METRICS.flatMap((m) => {
            const [lo, hi] = SCORE_DOMAINS[m];
            const item = h('span', undefined, 'ds-legend-item', { title: metricLabel(m, s.pivot).long });
            item.append(`${metricLabel(m, s.pivot).short} ${lo}`, ramp(), `${hi}+`);
            return [item];
          })
        : []),
    );
  }
}
