// One evaluation, measured the way the paper reports it (DESIGN §1): accuracy per
// language (greedy generation, last number vs gold; multiple choice by likelihood),
// loss per language, cross-lingual similarity of final hidden states and of soft-token
// summaries, language-cluster separability, and answer consistency with the pivot.
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelItem } from '../../protocol/dataset';
import type { EvalEvent, SkipReason } from '../../protocol/metrics';
import type { EvaluationConfig, ObjectiveConfig } from '../../protocol/runConfig';
import type { Params } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';
import type { Tokenizer } from '../model/tokenizer';
import { round } from '../numeric/round';
import { makeBatch } from '../train/batches';
import { responseCe } from '../train/objective';
import { consistency } from './consistency';
import { generateTexts } from './decode';
import { evalLoss } from './evalLoss';
import { answersMatch, extractLastNumber } from './extractAnswer';
import { promptFits, skipReason } from './itemFit';
import { representations, type VectorsByLang } from './representations';
import { probeAccuracy, silhouetteCosine } from './separability';
import { cosine, similarityMatrix } from './similarity';

export interface EvalSettings {
  languages: string[]; // pivot included
  pivot: string;
  lowResource: string[];
  maxSeqLen: number;
  objective: ObjectiveConfig;
  evaluation: EvaluationConfig;
  /** The model's tokenizer (default: the built-in byte-level one). */
  tokenizer?: Tokenizer;
  /** Where the warning about skipped items goes (default: stderr); given once per settings object, i.e. once per run. */
  warn?: (message: string) => void;
}

export type EvalMetrics = Omit<EvalEvent, 'kind' | 'step' | 'time'>;

export interface EvalResult {
  metrics: EvalMetrics;
  /** language -> per item: the extracted answer (null: none found; undefined: item lacks the language or was skipped). */
  answers: Map<string, (string | null | undefined)[]>;
  /** language -> per item: the raw generation (multiple-choice items: the chosen option). */
  outputs: Map<string, (string | undefined)[]>;
  /** language -> per item: why it was not scored (undefined: scored, or the item lacks the language). */
  skips: Map<string, (SkipReason | undefined)[]>;
  /** language -> per item: whether the answer matches the gold one (undefined: not scored). */
  correct: Map<string, (boolean | undefined)[]>;
}

/** Index of the most likely choice: lowest summed response-token CE of prompt + choice. */
function chooseOption(
  params: Params,
  c: ModelConfig,
  lang: string,
  prompt: string,
  choices: string[],
  s: EvalSettings,
): number {
  // One row per choice: the prompt with that choice as the response.
  const items = choices.map((ch, i) => ({
    id: String(i),
    answer: String(i),
    langs: { [lang]: { prompt, response: ch } },
  }));
  const b = makeBatch(items, {
    languages: [lang],
    pivot: lang,
    maxSeqLen: s.maxSeqLen,
    pool: 'response',
    tokenizer: s.tokenizer,
  });
  const ce = tf.tidy(() => responseCe(params, c, b).rowCe.dataSync());
  let best = 0;
  for (let i = 1; i < ce.length; i++) if (ce[i] < ce[best]) best = i;
  return best;
}

type Skipped = Record<string, Partial<Record<SkipReason, number>>>;

function answerAll(params: Params, c: ModelConfig, items: ParallelItem[], s: EvalSettings) {
  const answers = new Map<string, (string | null | undefined)[]>();
  const outputs = new Map<string, (string | undefined)[]>();
  const accuracy: Record<string, number> = {};
  const scored: Record<string, number> = {};
  const skipped: Skipped = {};
  const skips = new Map<string, (SkipReason | undefined)[]>();
  const correct = new Map<string, (boolean | undefined)[]>();
  const fit = { maxSeqLen: s.maxSeqLen, maxNewTokens: s.evaluation.maxNewTokens, tokenizer: s.tokenizer };
  for (const l of s.languages) {
    const ans: (string | null | undefined)[] = items.map(() => undefined);
    const out: (string | undefined)[] = items.map(() => undefined);
    // An item whose prompt would be cut, or leaves no room for the answer, is counted, not scored.
    const why = items.map((it) => (it.langs[l] ? skipReason(it.langs[l], fit) : undefined));
    for (const r of why) {
      if (!r) continue;
      skipped[l] ??= {};
      const counts = skipped[l];
      counts[r] = (counts[r] ?? 0) + 1;
    }
    skips.set(l, why);
    const whole = items.map((it, i) => it.langs[l] !== undefined && why[i] === undefined);
    const gen = items.map((it, i) => ({ it, i })).filter(({ it, i }) => whole[i] && !it.langs[l].choices);
    const texts = generateTexts(
      params,
      c,
      gen.map(({ it }) => it.langs[l].prompt),
      { maxNewTokens: s.evaluation.maxNewTokens, maxSeqLen: s.maxSeqLen, tokenizer: s.tokenizer },
    );
    gen.forEach(({ i }, k) => {
      out[i] = texts[k];
      ans[i] = extractLastNumber(texts[k], l);
    });
    items.forEach((it, i) => {
      const e = it.langs[l];
      if (!whole[i] || !e.choices) return;
      const pick = chooseOption(params, c, l, e.prompt, e.choices, s);
      ans[i] = String(pick);
      out[i] = e.choices[pick];
    });
    let n = 0;
    let right = 0;
    const ok: (boolean | undefined)[] = items.map(() => undefined);
    items.forEach((it, i) => {
      if (ans[i] === undefined) return;
      n++;
      ok[i] = it.langs[l].choices ? ans[i] === it.answer : answersMatch(ans[i]!, it.answer);
      if (ok[i]) right++;
    });
    correct.set(l, ok);
    scored[l] = n;
    if (n > 0) accuracy[l] = round(right / n);
    answers.set(l, ans);
    outputs.set(l, out);
  }
  return { answers, outputs, accuracy, scored, skipped, skips, correct };
}

const warned = new WeakSet<EvalSettings>();

/** One terminal warning per run: periodic evaluations reuse one settings object and one item sample. */
function warnSkipped(s: EvalSettings, scored: Record<string, number>, skipped: Skipped): void {
  const langs = Object.keys(skipped);
  if (!langs.length || warned.has(s)) return;
  warned.add(s);
  const names: Record<SkipReason, string> = { tooLong: 'too long', noRoom: 'no room for the answer' };
  const parts = langs.map((l) => {
    const reasons = Object.entries(skipped[l]) as [SkipReason, number][];
    const n = reasons.reduce((a, [, k]) => a + k, 0);
    return `${l} ${n} of ${n + scored[l]} (${reasons.map(([r, k]) => `${k} ${names[r]}`).join(', ')})`;
  });
  const unit = (s.tokenizer?.kind ?? 'bytes') === 'bytes' ? 'tokens (bytes)' : 'tokens';
  const message = `warning: eval items that do not fit the context of ${s.maxSeqLen} ${unit} are left out of accuracy: ${parts.join('; ')}. A longer model.maxSeqLen fits them.`;
  (s.warn ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
}

function mean(xs: number[]): number | undefined {
  return xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : undefined;
}

function roundMatrix(m: { languages: string[]; matrix: number[][] }) {
  return { languages: m.languages, matrix: m.matrix.map((row) => row.map((v) => (Number.isFinite(v) ? round(v) : 0))) };
}

/** Mean cosine pivot-vs-language over items present in both, per language. */
function pivotSimilarity(v: VectorsByLang, pivot: string, langs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  const p = v.get(pivot)!;
  for (const l of langs) {
    if (l === pivot) continue;
    const cs = v.get(l)!.flatMap((x, i) => (x && p[i] ? [cosine(x, p[i]!)] : []));
    if (cs.length) out[l] = mean(cs)!;
  }
  return out;
}

export function evaluate(params: Params, c: ModelConfig, items: ParallelItem[], s: EvalSettings): EvalResult {
  const t0 = performance.now();
  const langs = s.languages.filter((l) => items.some((it) => it.langs[l]));
  const settings = { ...s, languages: langs };
  const { answers, outputs, accuracy, scored, skipped, skips, correct } = answerAll(params, c, items, settings);
  warnSkipped(s, scored, skipped);
  const metrics: EvalMetrics = { accuracy, accuracyMean: mean(Object.values(accuracy)) };
  const low = s.lowResource.filter((l) => l in accuracy).map((l) => accuracy[l]);
  if (low.length) metrics.accuracyLowResource = mean(low);

  if (items.some((it) => Object.values(it.langs).some((e) => e.response && !e.choices))) {
    metrics.loss = evalLoss(params, c, items, {
      languages: langs,
      pivot: s.pivot,
      maxSeqLen: s.maxSeqLen,
      pool: s.objective.pool,
      tokenizer: s.tokenizer,
    });
  }
  // Representations of whole prompts only: a cut prompt's hidden state is of other text.
  const uncut = items.map((it) => ({
    ...it,
    langs: Object.fromEntries(
      Object.entries(it.langs).filter(([, e]) => promptFits(e.prompt, s.maxSeqLen, s.tokenizer)),
    ),
  }));
  const rep = representations(params, c, uncut, {
    languages: langs,
    maxSeqLen: s.maxSeqLen,
    tau: s.objective.tau,
    topK: s.objective.topK,
    perLayer: s.evaluation.perLayerSimilarity,
    tokenizer: s.tokenizer,
  });
  const repLangs = langs.filter((l) => rep.hidden.get(l)!.some(Boolean));
  metrics.similarity = roundMatrix(similarityMatrix(rep.hidden, repLangs));
  metrics.softTokenSimilarity = roundMatrix(similarityMatrix(rep.softTokens, repLangs));
  // Layer similarity is to the pivot: without pivot vectors (no pivot in the data) there is none.
  if (rep.layers.length && repLangs.includes(s.pivot))
    metrics.layerSimilarity = rep.layers.map((v) => pivotSimilarity(v, s.pivot, repLangs));

  const points: Float32Array[] = [];
  const labels: string[] = [];
  for (const l of repLangs) {
    for (const v of rep.hidden.get(l)!) {
      if (!v) continue;
      points.push(v);
      labels.push(l);
    }
  }
  if (repLangs.length >= 2) {
    const probe = probeAccuracy(points, labels, { folds: s.evaluation.probeFolds, seed: 0 });
    metrics.separability = {
      silhouette: round(silhouetteCosine(points, labels)),
      probeAccuracy: round(probe.accuracy),
      chance: round(probe.chance),
    };
  }
  if (scored[s.pivot] > 0) {
    // A language sharing no scored item with the pivot has no consistency (not 0).
    const cons = Object.entries(
      consistency(
        answers,
        items.map((it) => it.answer),
        s.pivot,
      ),
    ).filter(([, v]) => v.items > 0);
    metrics.consistency = Object.fromEntries(cons.map(([l, v]) => [l, round(v.sameAnswer)]));
    metrics.correctBothOverEither = Object.fromEntries(cons.map(([l, v]) => [l, round(v.correctBothOverEither)]));
  }
  metrics.scored = scored;
  if (Object.keys(skipped).length) metrics.skipped = skipped;
  metrics.items = items.length;
  metrics.seconds = round((performance.now() - t0) / 1000);
  return { metrics, answers, outputs, skips, correct };
}
