// A model's eye on a parallel dataset: what `solar data score RUN FILE` writes next to the
// dataset (`<FILE>.scores.json`, never into it) and the dataset grid shows as columns. Per
// item and language two figures, each a number or the reason there is none:
//   distance  1 - cos(s_hat_l, s_hat_pivot), the soft-token summaries the SOLAR objective
//             aligns (DESIGN §1), at the run's tau, topK and pool; 0 = the model reads the
//             translation as it reads the pivot, up to 2
//   loss      mean response-token cross-entropy (nats/token, <eos> included), as training
//             and evaluation measure it
// Hashes make a stale sidecar detectable: `data.hash` is the whole text's, each item's
// `hash` its line's (protocol/datasetScoresFile.ts), so an edited item is known to be
// stale while the others keep their scores. No node imports: the grid imports this too.
import { z } from 'zod';
import { LanguageCode } from './dataset';

/** Why a figure is absent. */
export const SCORE_SKIPS = ['pivot', 'noPivot', 'noResponse', 'tooLong', 'pivotNoResponse', 'pivotTooLong'] as const;
export const ScoreSkip = z.enum(SCORE_SKIPS);
export type ScoreSkip = z.infer<typeof ScoreSkip>;

/** The reasons in words, for tooltips and the terminal. */
export const SCORE_SKIP_TEXT: Record<ScoreSkip, string> = {
  pivot: 'the pivot itself: distances are measured to it',
  noPivot: 'the item has no pivot to compare with',
  noResponse: 'no response to score',
  tooLong: "prompt and response do not fit the model's context",
  pivotNoResponse: "the pivot's response is missing, so there is nothing to compare with",
  pivotTooLong: "the pivot does not fit the model's context",
};

/** sha256, hex; items use its first 16 digits. */
const Hash = z.string().regex(/^[0-9a-f]{16,64}$/, 'a hex hash');

/** One language of one item: each figure is a number or the reason it is absent, never both. */
export const LanguageScore = z
  .strictObject({
    distance: z.number().min(0).max(2).optional(),
    distanceSkipped: ScoreSkip.optional(),
    /** nats per response token. */
    loss: z.number().min(0).optional(),
    lossSkipped: ScoreSkip.optional(),
    /** Response tokens the loss is the mean over (<eos> included). */
    tokens: z.number().int().positive().optional(),
  })
  .refine((s) => (s.distance === undefined) !== (s.distanceSkipped === undefined), {
    message: 'a distance or the reason it is absent (distanceSkipped)',
  })
  .refine((s) => (s.loss === undefined) !== (s.lossSkipped === undefined), {
    message: 'a loss or the reason it is absent (lossSkipped)',
  });
export type LanguageScore = z.infer<typeof LanguageScore>;

export const ItemScores = z.strictObject({
  id: z.string(),
  /** 1-based line of the item when it was scored. */
  line: z.number().int().positive(),
  /** The hash of the item's line (itemHash), to tell an edited item from one scored as it is. */
  hash: Hash,
  /** Per language of the item that was scored. */
  langs: z.record(LanguageCode, LanguageScore),
});
export type ItemScores = z.infer<typeof ItemScores>;

export const SCORES_VERSION = 1;

export const DatasetScores = z.strictObject({
  kind: z.literal('datasetScores'),
  version: z.literal(SCORES_VERSION),
  data: z.strictObject({
    /** The dataset file, absolute, when it was scored. */
    file: z.string(),
    /** The hash of its whole text (contentHash). */
    hash: Hash,
    items: z.number().int().nonnegative(),
  }),
  run: z.strictObject({
    /** The run folder and its name, for the header. */
    dir: z.string(),
    name: z.string(),
    /** The checkpoint folder scored with, and its step. */
    checkpoint: z.string(),
    step: z.number().int().nonnegative(),
  }),
  pivot: LanguageCode,
  /** Languages scored, pivot first. */
  languages: z.array(LanguageCode),
  /** The objective's settings the summaries were computed with, and the context. */
  settings: z.strictObject({
    tau: z.number().positive(),
    topK: z.number().int().nonnegative(),
    pool: z.enum(['response', 'all']),
    maxSeqLen: z.number().int().positive(),
  }),
  scoredAt: z.string(),
  items: z.array(ItemScores),
});
export type DatasetScores = z.infer<typeof DatasetScores>;

/** The two figures, as the grid's columns name them. */
export const SCORE_METRICS = ['distance', 'loss'] as const;
export type ScoreMetric = (typeof SCORE_METRICS)[number];
