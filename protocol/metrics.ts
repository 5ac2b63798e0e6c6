// Events of `metrics.jsonl` (append-only, one complete JSON object per line, `kind` first)
// and the shape of `status.json`. The trainer writes them; the extension, the webviews and
// `solar compare` read them. DESIGN.md §3 is the contract for the field names.
import { z } from 'zod';
import { BACKENDS } from './runConfig';

const PerLanguage = z.record(z.string(), z.number());
const LanguageMatrix = z.strictObject({
  languages: z.array(z.string()),
  /** languages x languages, symmetric, unit diagonal. */
  matrix: z.array(z.array(z.number())),
});

export const TrainEvent = z.object({
  kind: z.literal('train'),
  step: z.number().int().min(1),
  time: z.string(),
  /** Total loss = ce + lambda * alignLoss. */
  loss: z.number(),
  /** Mean response-token cross-entropy per language (nats/token). */
  ce: PerLanguage,
  /** Mean (1 - cos) to the pivot summary per non-pivot language. */
  align: PerLanguage,
  lr: z.number(),
  gradNorm: z.number().optional(),
  tokensPerSec: z.number(),
  stepMs: z.number().optional(),
});

/**
 * Why an eval item was left out of a language's accuracy: `tooLong`, its prompt (or a
 * choice with it) does not fit the context and would be cut; `noRoom`, the prompt fits
 * but leaves too few tokens for the answer.
 */
export const SKIP_REASONS = ['tooLong', 'noRoom'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const EvalEvent = z.object({
  kind: z.literal('eval'),
  step: z.number().int().min(0),
  time: z.string().optional(),
  accuracy: PerLanguage.optional(),
  loss: PerLanguage.optional(),
  similarity: LanguageMatrix.optional(),
  softTokenSimilarity: LanguageMatrix.optional(),
  separability: z.object({ silhouette: z.number(), probeAccuracy: z.number(), chance: z.number() }).optional(),
  /** Share of items where language l gives the same answer as the pivot. */
  consistency: PerLanguage.optional(),
  /** Per language: items correct in both l and the pivot over items correct in either. */
  correctBothOverEither: PerLanguage.optional(),
  /** Mean accuracy over all languages, and over the config's low-resource languages. */
  accuracyMean: z.number().optional(),
  accuracyLowResource: z.number().optional(),
  /** Per layer (1-based, last = final layer before the norm): mean cosine of pivot vs each language. */
  layerSimilarity: z.array(PerLanguage).optional(),
  /** Per language: items scored for accuracy (its denominator; skipped items are not in it). */
  scored: z.record(z.string(), z.number().int().min(0)).optional(),
  /** Per language, per reason: items left out of accuracy. Absent for a language with none. */
  skipped: z.record(z.string(), z.partialRecord(z.enum(SKIP_REASONS), z.number().int().min(0))).optional(),
  /** Items evaluated and seconds taken. */
  items: z.number().int().optional(),
  seconds: z.number().optional(),
});

export const RUN_STATES = ['starting', 'running', 'completed', 'stopped', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const StatusEvent = z.object({
  kind: z.literal('status'),
  time: z.string().optional(),
  state: z.enum(RUN_STATES),
  step: z.number().int().min(0).optional(),
  message: z.string().optional(),
});

export const MetricEvent = z.discriminatedUnion('kind', [TrainEvent, EvalEvent, StatusEvent]);
export type TrainEvent = z.infer<typeof TrainEvent>;
export type EvalEvent = z.infer<typeof EvalEvent>;
export type StatusEvent = z.infer<typeof StatusEvent>;
export type MetricEvent = z.infer<typeof MetricEvent>;

/** status.json: the latest state of a run, rewritten atomically. */
export const RunStatus = z.object({
  runId: z.string(),
  state: z.enum(RUN_STATES),
  message: z.string().optional(),
  pid: z.number().int(),
  backend: z.enum(BACKENDS).optional(),
  device: z.string().optional(),
  step: z.number().int().min(0),
  totalSteps: z.number().int().min(0),
  /** Latest training loss, for a status line without reading metrics.jsonl. */
  loss: z.number().optional(),
  /** Estimated seconds to completion. */
  etaSec: z.number().optional(),
  lastCheckpoint: z.string().optional(),
  /** Best mean eval accuracy so far (0..1). */
  bestAccuracy: z.number().optional(),
  /** The model's parameter count (all of them, trained or frozen), recorded once it is built. */
  params: z.number().int().min(0).optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
});
export type RunStatus = z.infer<typeof RunStatus>;
