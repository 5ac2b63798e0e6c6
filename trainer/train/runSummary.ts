// What `solar train` prints when a run ends: the final evaluation beside the base model's
// (step 0), per language, and the commands a user runs next. Read back from the run's
// metrics.jsonl, so a resumed run compares with the step-0 evaluation of its first session.
import * as path from 'node:path';
import type { EvalEvent } from '../../protocol/metrics';
import { readMetrics, runFile } from '../../protocol/runFolder';

const pct = (x: number | undefined) => (x === undefined ? '     -' : `${(100 * x).toFixed(1).padStart(5)}%`);
const num = (x: number | undefined) => (x === undefined ? '     -' : x.toFixed(3).padStart(6));

function simToPivot(e: EvalEvent, pivot: string, l: string): number | undefined {
  const m = e.similarity;
  if (!m) return undefined;
  const p = m.languages.indexOf(pivot);
  const i = m.languages.indexOf(l);
  return p < 0 || i < 0 ? undefined : m.matrix[p]?.[i];
}

/** The last evaluation at `step` (a restarted run's later events replace earlier ones). */
function evalAt(events: EvalEvent[], step: number): EvalEvent | undefined {
  return events.filter((e) => e.step === step).at(-1);
}

export interface SummaryInput {
  runDir: string;
  state: 'completed' | 'stopped';
  step: number;
  pivot: string;
  lowResource: string[];
}

/** Plain text: the base-vs-final table (when the run was evaluated) and the next commands. */
export function formatRunSummary(s: SummaryInput): string {
  const events = readMetrics(runFile(s.runDir, 'metrics')).events.filter((e): e is EvalEvent => e.kind === 'eval');
  const base = evalAt(events, 0);
  const final = s.step > 0 ? evalAt(events, s.step) : undefined;
  const lines: string[] = [];
  if (base && final) {
    lines.push(`evaluation: base model (step 0) -> step ${final.step}, ${final.items ?? '?'} eval items`);
    lines.push(`${'lang'.padEnd(7)}${'accuracy'.padEnd(19)}${'loss (nats/token)'.padEnd(19)}sim(${s.pivot})`);
    const langs = Object.keys(final.accuracy ?? base.accuracy ?? {});
    for (const l of langs) {
      const tag = s.lowResource.includes(l) ? '*' : ' ';
      const acc = `${pct(base.accuracy?.[l])} -> ${pct(final.accuracy?.[l])}`;
      const loss = `${num(base.loss?.[l])} -> ${num(final.loss?.[l])}`;
      const sim =
        l === s.pivot ? '     -' : `${num(simToPivot(base, s.pivot, l))} -> ${num(simToPivot(final, s.pivot, l))}`;
      lines.push(`${(l + tag).padEnd(7)}${acc.padEnd(19)}${loss.padEnd(19)}${sim}`);
    }
    const skipped = Object.entries(final.skipped ?? {}).flatMap(([l, why]) => {
      const n = Object.values(why ?? {}).reduce((a, b) => a + (b ?? 0), 0);
      return n ? [`${l} ${n} (${Object.keys(why ?? {}).join(', ')})`] : [];
    });
    if (skipped.length) lines.push(`not scored (do not fit the context; not in accuracy): ${skipped.join('; ')}`);
    lines.push(
      `${'mean'.padEnd(7)}${`${pct(base.accuracyMean)} -> ${pct(final.accuracyMean)}`.padEnd(19)}(* low-resource: ${pct(base.accuracyLowResource)} -> ${pct(final.accuracyLowResource)})`,
    );
    const b = base.accuracy?.[s.pivot];
    const f = final.accuracy?.[s.pivot];
    if (b !== undefined && f !== undefined && f <= b) {
      const lossNote =
        base.loss?.[s.pivot] !== undefined && final.loss?.[s.pivot] !== undefined
          ? ` Its response loss went from ${base.loss[s.pivot].toFixed(3)} to ${final.loss[s.pivot].toFixed(3)} nats/token:`
          : '';
      lines.push(
        `The pivot's (${s.pivot}) accuracy has not risen above the base model's after ${final.step} steps.${lossNote} the model is still learning to write whole answers; train longer (see the README's measured figures) before reading accuracy.`,
      );
    }
  } else if (s.state === 'completed') {
    lines.push(
      'no evaluation: the config has no data.eval, so there is no accuracy to show (the losses are in metrics.jsonl)',
    );
  }
  const rel = path.relative(process.cwd(), s.runDir) || '.';
  const dir = rel.startsWith('..') ? s.runDir : rel;
  lines.push('', 'next:');
  if (s.state === 'stopped') lines.push('  # continue from the last checkpoint', `  solar train --resume ${dir}`);
  lines.push('  # full evaluation of the last checkpoint (every eval item, saved under evals/)', `  solar eval ${dir}`);
  lines.push(
    '  # side by side with other runs, e.g. an SFT baseline (seeds of one config grouped)',
    `  solar compare ${dir} OTHER_RUN_DIR...`,
  );
  lines.push('  # or open this folder in VS Code: the SOLAR view lists the run, "SOLAR: Open Metrics" shows it');
  return lines.join('\n');
}
