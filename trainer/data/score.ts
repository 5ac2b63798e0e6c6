// Scoring a parallel dataset with a trained model (`solar data score`): per item and
// language, the soft-token alignment distance to the pivot and the response loss
// (protocol/datasetScores.ts), measured as the training objective measures them:
//   - rows laid out by makeBatch (<bos> prompt <sep> response <eos>, the objective's pool mask);
//   - the summary s_hat is the objective's own softTokenSummaries at the run's tau and topK;
//     distance = 1 - cos(s_hat_l, s_hat_pivot), as alignDistances computes it;
//   - loss = summed response-token CE / response tokens (nats/token), as computeLoss's
//     rowCe / rowTokens (evalLoss is the token-weighted mean of these).
// A row that does not fit the context is not scored (training would cut it, and the figure
// would measure the cut); neither is the loss of a row without a response, nor, when only
// response positions are pooled, its distance. Each gets the reason instead.
//
// Rows, not items, are batched (rowPasses.ts: sorted by length, packed up to a token
// budget). Summaries are kept per row ([d] floats) and compared with their pivot's once
// every row has run.
import * as tf from '@tensorflow/tfjs-core';
import type { LanguageEntry, ParallelItem } from '../../protocol/dataset';
import type { LanguageScore, ScoreSkip } from '../../protocol/datasetScores';
import type { ObjectiveConfig } from '../../protocol/runConfig';
import { getParam, type Params } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';
import { round } from '../numeric/round';
import { responseCe, softTokenSummaries } from '../train/objective';
import { defaultTokensPerPass, packRows, rowBatch, rowLength } from '../train/rowPasses';

export interface ScoreOptions {
  /** Languages to report, in order; the pivot's rows run whenever an item has it (the reference). */
  languages: string[];
  pivot: string;
  maxSeqLen: number;
  objective: Pick<ObjectiveConfig, 'tau' | 'topK' | 'pool'>;
  /** Padded tokens (rows x longest row) per forward pass; default from the vocabulary size. */
  tokensPerPass?: number;
  /** The model's tokenizer (default: the built-in byte-level one). */
  tokenizer?: Tokenizer;
}

export interface ScoreHooks {
  /** After each forward pass: rows (item x language) scored so far, of all. */
  progress?(done: number, total: number): void;
  /** Asked between passes; true stops the scoring (the result is then null). */
  stopped?(): boolean;
}

/** Per item (in the order given), its languages' figures. */
export type ItemFigures = Record<string, LanguageScore>;

/** One language of one item: whether its row runs, and why a figure cannot be had. */
interface Row {
  item: number;
  lang: string;
  entry: LanguageEntry;
  /** Tokens of the whole row uncut (head prompt mid response end; tokenizer.ts). */
  length: number;
  runs: boolean;
  lossSkipped?: ScoreSkip;
  /** Why this row's own summary is unusable. */
  summarySkipped?: ScoreSkip;
  /** Filled by its pass. */
  loss?: number;
  tokens?: number;
  summary?: Float32Array;
}

function planRow(item: number, lang: string, entry: LanguageEntry, o: ScoreOptions): Row {
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const length = rowLength(entry, tok);
  const fits = length <= o.maxSeqLen;
  const hasResponse = entry.response !== undefined;
  const lossSkipped: ScoreSkip | undefined = !hasResponse ? 'noResponse' : !fits ? 'tooLong' : undefined;
  const summarySkipped: ScoreSkip | undefined =
    o.objective.pool === 'response' && !hasResponse ? 'noResponse' : !fits ? 'tooLong' : undefined;
  return { item, lang, entry, length, runs: !lossSkipped || !summarySkipped, lossSkipped, summarySkipped };
}

/** One forward pass: each row's response loss and tokens, and its soft-token summary. */
function runPass(params: Params, c: ModelConfig, rows: Row[], o: ScoreOptions): void {
  const b = rowBatch(rows, { pivot: o.pivot, maxSeqLen: o.maxSeqLen, pool: o.objective.pool, tokenizer: o.tokenizer });
  const [rowCe, rowTokens, summaries] = tf.tidy(() => {
    // The response CE as computeLoss computes it.
    const { logits, rowCe, rowTokens } = responseCe(params, c, b);
    const embed = getParam(params, 'model.embed_tokens.weight') as tf.Tensor2D;
    return [
      rowCe.dataSync(),
      rowTokens.dataSync(),
      softTokenSummaries(
        logits,
        tf.tensor2d(b.poolMask, [b.R, b.T]),
        embed,
        o.objective.tau,
        o.objective.topK,
      ).dataSync() as Float32Array,
    ] as const;
  });
  const d = summaries.length / b.R;
  // rowBatch: row k of the batch is rows[k].
  rows.forEach((r, k) => {
    if (!r.lossSkipped) {
      r.loss = round(rowCe[k] / rowTokens[k]);
      r.tokens = rowTokens[k];
    }
    if (!r.summarySkipped) r.summary = summaries.slice(k * d, (k + 1) * d);
  });
}

/** 1 - cos(a, b), with alignDistances's guard against a zero norm. */
export function cosineDistance(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return 1 - dot / Math.max(Math.sqrt(na) * Math.sqrt(nb), 1e-8);
}

function distanceOf(
  row: Row,
  pivot: Row | undefined,
  pivotLang: string,
): Pick<LanguageScore, 'distance' | 'distanceSkipped'> {
  if (row.lang === pivotLang) return { distanceSkipped: 'pivot' };
  if (row.summarySkipped) return { distanceSkipped: row.summarySkipped };
  if (!pivot) return { distanceSkipped: 'noPivot' };
  if (pivot.summarySkipped)
    return { distanceSkipped: pivot.summarySkipped === 'tooLong' ? 'pivotTooLong' : 'pivotNoResponse' };
  // Six decimals are finer than any difference worth reading, and a translation identical
  // to its pivot shows as 0 rather than float32 rounding.
  const d = cosineDistance(row.summary!, pivot.summary!);
  return { distance: Math.min(2, Math.max(0, Math.round(d * 1e6) / 1e6)) };
}

/** Scores every item; null when `hooks.stopped` said to stop. Yields to the event loop between passes (signals). */
export async function scoreItems(
  params: Params,
  c: ModelConfig,
  items: ParallelItem[],
  o: ScoreOptions,
  hooks: ScoreHooks = {},
): Promise<ItemFigures[] | null> {
  const langs = [o.pivot, ...o.languages.filter((l) => l !== o.pivot)];
  const rows = items.map((it, i) => langs.filter((l) => it.langs[l]).map((l) => planRow(i, l, it.langs[l], o)));
  const all = rows.flat();
  const passes = packRows(
    all.filter((r) => r.runs),
    o.tokensPerPass ?? defaultTokensPerPass(c),
  );
  // Rows with nothing to run are done from the start.
  let done = all.filter((r) => !r.runs).length;
  hooks.progress?.(done, all.length);
  for (const pass of passes) {
    await new Promise((resolve) => setImmediate(resolve));
    if (hooks.stopped?.()) return null;
    runPass(params, c, pass, o);
    done += pass.length;
    hooks.progress?.(done, all.length);
  }
  // A stop asked for during the last pass is a stop too: nothing is reported.
  await new Promise((resolve) => setImmediate(resolve));
  if (hooks.stopped?.()) return null;
  return rows.map((itemRows) => {
    const pivot = itemRows.find((r) => r.lang === o.pivot);
    const figures: ItemFigures = {};
    for (const row of itemRows) {
      if (!o.languages.includes(row.lang)) continue;
      figures[row.lang] = {
        ...distanceOf(row, pivot, o.pivot),
        ...(row.lossSkipped ? { lossSkipped: row.lossSkipped } : { loss: row.loss, tokens: row.tokens }),
      };
    }
    return figures;
  });
}
