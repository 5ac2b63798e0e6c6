// What `solar compare RUN... --json` prints, and what the Compare Runs panel draws: runs
// grouped by config (seeds of one config form a group, reported as mean ± sample std over
// seeds), per-language deltas against the first trained group with their spread, the
// step-0 base model, and each group's training and accuracy curves averaged over seeds.
// trainer/eval/compare.ts builds it; the extension validates the trainer's output with it
// and the webview validates it again on arrival. No node imports (the webview bundle uses it).
import { z } from 'zod';
import { LanguageCode } from './dataset';
import { RUN_STATES } from './metrics';

/** Mean and sample standard deviation over n values (std 0 when n < 2). */
export const Stat = z.object({ mean: z.number(), std: z.number().min(0), n: z.number().int().min(0) });
export type Stat = z.infer<typeof Stat>;

const Stats = z.record(z.string(), Stat);

/** One point of a group's curve: mean ± std over the seeds that reached this step. */
export const CurvePoint = z.object({
  step: z.number().int().min(0),
  mean: z.number(),
  std: z.number().min(0),
  n: z.number().int().min(1),
});
export type CurvePoint = z.infer<typeof CurvePoint>;

export const GroupCurves = z.object({
  /** Training loss (ce + λ·align, what the optimiser follows): not comparable across λ. */
  loss: z.array(CurvePoint),
  /** Training cross-entropy, mean over languages (nats/token): comparable across λ. */
  ce: z.array(CurvePoint),
  /** Eval accuracy, mean over languages (0..1), at each evaluation (step 0 included). */
  accuracy: z.array(CurvePoint),
});
export type GroupCurves = z.infer<typeof GroupCurves>;

/** One run of a group. */
export const CompareMember = z.object({
  dir: z.string(),
  id: z.string(),
  seed: z.number().int().min(0),
  /** status.json's state; null when the folder has none. */
  state: z.enum(RUN_STATES).nullable(),
  step: z.number().int().min(0),
  totalSteps: z.number().int().min(0),
  /** Step of the evaluation behind this run's figures; null: it has none. */
  evalStep: z.number().int().min(0).nullable(),
  /** Not completed (stopped, failed or still running): its figures are from an earlier step. */
  unfinished: z.boolean(),
});
export type CompareMember = z.infer<typeof CompareMember>;

export const CompareGroup = z.object({
  label: z.string(),
  /** The config fields that set this group apart from the other groups, e.g. ["λ 0"]. */
  differences: z.array(z.string()),
  /** Run folders (absolute), in the order given. */
  runs: z.array(z.string()),
  members: z.array(CompareMember),
  pivot: LanguageCode,
  lowResource: z.array(LanguageCode),
  /** Accuracy (0..1) per language, plus "mean" and "low-resource". */
  accuracy: Stats,
  /** Cosine of final hidden states, pivot vs each other language. */
  similarity: Stats,
  consistency: Stats,
  silhouette: Stat.optional(),
  probeAccuracy: Stat.optional(),
  /** Empty for the base model. */
  curves: GroupCurves,
});
export type CompareGroup = z.infer<typeof CompareGroup>;

export const AccuracyDelta = z.object({
  /** Group mean minus reference mean, in accuracy units (0..1). */
  delta: z.number(),
  /** sqrt(std_group² + std_reference²); null when either side has one seed (spread unknown). */
  spread: z.number().min(0).nullable(),
  /** |delta| <= spread: inside seed noise, not a difference; null when the spread is unknown. */
  withinNoise: z.boolean().nullable(),
});
export type AccuracyDelta = z.infer<typeof AccuracyDelta>;

export const GroupDeltas = z.object({
  /** The group's label (the base model's too). */
  label: z.string(),
  /** Per accuracy key (language, "mean", "low-resource") both sides have. */
  accuracy: z.record(z.string(), AccuracyDelta),
});
export type GroupDeltas = z.infer<typeof GroupDeltas>;

export const CompareReport = z.object({
  /** The first group's step-0 evaluations: the model before training; null when there are none. */
  base: CompareGroup.nullable(),
  /** Trained groups, in the order their first run was given. */
  groups: z.array(CompareGroup).min(1),
  /** Label of the group every delta is taken against (the first trained group). */
  reference: z.string(),
  /** Accuracy keys in display order: languages, then "mean" and "low-resource". */
  languages: z.array(z.string()),
  /** Against the reference: the base model's, then every other group's. */
  deltas: z.array(GroupDeltas),
});
export type CompareReport = z.infer<typeof CompareReport>;

/** The delta of one figure against the reference, with its spread (see AccuracyDelta). */
export function accuracyDelta(a: Stat, ref: Stat): AccuracyDelta {
  const delta = a.mean - ref.mean;
  if (a.n < 2 || ref.n < 2) return { delta, spread: null, withinNoise: null };
  const spread = Math.sqrt(a.std ** 2 + ref.std ** 2);
  return { delta, spread, withinNoise: Math.abs(delta) <= spread };
}
