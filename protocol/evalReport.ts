// A full evaluation saved by `solar eval` in the run folder (evals/<data>-step-NNNNNN.json):
// the eval event's figures plus every generation, so the Metrics panel can browse items
// across languages. Written by trainer/cli/evalCommand.ts, read by extension/evalFiles.ts
// and validated again in the webview. No node imports: the webview bundle imports it.
import { z } from 'zod';
import { EvalEvent, SKIP_REASONS } from './metrics';

/**
 * One item in one language. Scored: the generation, the answer extracted from it and
 * whether that matches the gold answer. Skipped (did not fit the context): the reason,
 * nothing generated. `prompt`, `answer` and `correct` are absent in files written before
 * they were saved.
 */
export const EvalOutput = z
  .object({
    /** The item's id in the eval data. */
    id: z.string(),
    /** The prompt as given to the model. */
    prompt: z.string().optional(),
    /** The greedy generation; for a multiple-choice item, the option chosen by likelihood. */
    text: z.string().optional(),
    /** Extracted answer: the last number in the language's number style, or the chosen option's index; null: none found. */
    answer: z.string().nullable().optional(),
    /** Whether `answer` matches the gold answer (numerically; multiple choice: the same index). */
    correct: z.boolean().optional(),
    /** Why the item was counted but not scored. */
    skipped: z.enum(SKIP_REASONS).optional(),
  })
  .refine((o) => (o.text === undefined) !== (o.skipped === undefined), {
    message: 'either "text" (a generation) or "skipped" (a reason), not both or neither',
  });
export type EvalOutput = z.infer<typeof EvalOutput>;

export const EvalReport = EvalEvent.extend({
  /** Absolute path of the eval data file. */
  data: z.string(),
  /** The checkpoint folder evaluated. */
  checkpoint: z.string(),
  /** Languages asked for or in the data but not evaluated, and why. */
  notEvaluated: z.record(z.string(), z.string()),
  /** Per item, in data order: the gold answer (a number, or a choice index). */
  gold: z.array(z.string()).optional(),
  /** Per language, per item in data order: its output, or null where the item lacks the language. */
  outputs: z.record(z.string(), z.array(EvalOutput.nullable())),
}).superRefine((r, ctx) => {
  // Every array is indexed by item: a row of the browser is one index across languages.
  const n = r.gold?.length ?? Object.values(r.outputs)[0]?.length ?? 0;
  for (const [lang, list] of Object.entries(r.outputs)) {
    if (list.length !== n)
      ctx.addIssue({
        code: 'custom',
        path: ['outputs', lang],
        message: `${n} entries, one per item (got ${list.length})`,
      });
  }
});
export type EvalReport = z.infer<typeof EvalReport>;

/** Number of items of a report (the length of each per-item array). */
export function reportItems(r: EvalReport): number {
  return r.gold?.length ?? Object.values(r.outputs)[0]?.length ?? 0;
}
