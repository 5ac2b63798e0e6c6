// A recorded-shape event stream for the metrics panel tests: train events with CE per
// language, and evals at step 0 (the base model) and every `evalEvery` steps with
// accuracy, counts, similarity matrices (final layer, soft tokens) that tighten as training
// goes on, separability, consistency and per-layer similarity.
import type { EvalEvent, MetricEvent, TrainEvent } from '../../protocol/metrics';
import type { RunInfo } from '../../protocol/runInfo';

export const LANGS = ['en', 'sw', 'te', 'zh'];

export function trainEvent(step: number): TrainEvent {
  const decay = Math.exp(-step / 40);
  const ce = Object.fromEntries(LANGS.map((l, i) => [l, 1.5 + i * 0.4 + 2 * decay + 0.05 * Math.sin(step + i)]));
  return {
    kind: 'train',
    step,
    time: `2025-01-01T00:00:${String(step % 60).padStart(2, '0')}Z`,
    loss: 2 + 3 * decay + 0.1 * Math.sin(step),
    ce,
    align: Object.fromEntries(LANGS.slice(1).map((l) => [l, 0.5 * decay])),
    lr: 0.003,
    tokensPerSec: 1000,
  };
}

export function evalEvent(step: number): EvalEvent {
  const t = Math.min(1, step / 100);
  const n = LANGS.length;
  const matrix = LANGS.map((_, r) =>
    LANGS.map((__, c) => (r === c ? 1 : Number((0.3 + 0.6 * t - 0.05 * Math.abs(r - c)).toFixed(3)))),
  );
  return {
    kind: 'eval',
    step,
    accuracy: Object.fromEntries(LANGS.map((l, i) => [l, Number(Math.min(1, 0.2 + 0.5 * t - 0.05 * i).toFixed(3))])),
    scored: Object.fromEntries(LANGS.map((l) => [l, 40])),
    skipped: { te: { tooLong: 2 } },
    similarity: { languages: LANGS, matrix },
    // Soft-token summaries align a little ahead of the final layer.
    softTokenSimilarity: {
      languages: LANGS,
      matrix: matrix.map((row) => row.map((v) => (v === 1 ? 1 : round(v + 0.05)))),
    },
    separability: { silhouette: round(0.4 - 0.3 * t), probeAccuracy: round(0.95 - 0.4 * t), chance: 0.25 },
    consistency: Object.fromEntries(LANGS.slice(1).map((l, i) => [l, round(0.3 + 0.4 * t - 0.05 * i)])),
    // Four layers: cosine to the pivot grows with depth and with training.
    layerSimilarity: [1, 2, 3, 4].map((layer) =>
      Object.fromEntries(LANGS.slice(1).map((l, i) => [l, round(0.1 * layer + 0.3 * t - 0.02 * i)])),
    ),
    accuracyMean: 0.3,
    items: 40 * n,
  };
}

function round(v: number): number {
  return Number(v.toFixed(3));
}

/** Train events for steps from..to, with an eval at step 0 and every `evalEvery` steps. */
export function eventStream(from: number, to: number, evalEvery = 20): MetricEvent[] {
  const out: MetricEvent[] = [];
  if (from <= 0) out.push(evalEvent(0));
  for (let s = Math.max(1, from); s <= to; s++) {
    out.push(trainEvent(s));
    if (s % evalEvery === 0) out.push(evalEvent(s));
  }
  return out;
}

export function runInfo(dir: string, step: number, state: RunInfo['state'] = 'running'): RunInfo {
  return {
    id: 'demo-20250101-000000',
    name: 'demo',
    dir,
    state,
    step,
    totalSteps: 120,
    loss: 2.5,
    checkpoints: [],
    resumable: false,
  };
}
