// A problem found in a parallel dataset, in text coordinates, so that the CLI (file:line),
// the editor's diagnostics (a range) and the dataset grid (a cell) all show the same finding.
import { z } from 'zod';

/** `error`: the trainer refuses the file; `warning`: it loads, but something looks wrong. */
export const Severity = z.enum(['error', 'warning']);
export type Severity = z.infer<typeof Severity>;

/** A replacement that repairs the problem, within the problem's line. */
export const ProblemFix = z.object({
  /** What the fix does, as a quick-fix title ("Remove the trailing comma"). */
  title: z.string(),
  /** 0-based UTF-16 offsets in the line (JavaScript string indices, VS Code characters). */
  column: z.number().int().nonnegative(),
  endColumn: z.number().int().nonnegative(),
  text: z.string(),
});
export type ProblemFix = z.infer<typeof ProblemFix>;

export const DatasetProblem = z.object({
  /** 1-based line; absent for a problem of the whole file (it is empty). */
  line: z.number().int().positive().optional(),
  /** 0-based UTF-16 offsets of the offending text in the line, when it can be pointed at. */
  column: z.number().int().nonnegative().optional(),
  endColumn: z.number().int().nonnegative().optional(),
  /** Dotted path of the field, as in InputError: "langs.sw.prompt". */
  field: z.string().optional(),
  severity: Severity,
  /** Stable kind of problem (see PROBLEM_CODES), for quick fixes and filters. */
  code: z.string(),
  /** What was expected, in the words `solar data validate` prints after file, line and field. */
  message: z.string(),
  fix: ProblemFix.optional(),
});
export type DatasetProblem = z.infer<typeof DatasetProblem>;

/** A problem found in one line, before the line's number is known (lines are checked once per text). */
export type LineProblem = Omit<DatasetProblem, 'line'>;

export const PROBLEM_CODES = {
  /** The line is not one JSON value. */
  json: 'json',
  /** The value fails the ParallelItem schema. */
  schema: 'schema',
  duplicateId: 'duplicateId',
  /** The file has no item. */
  empty: 'empty',
  /** A field holds only whitespace, or an id/answer has whitespace around it. */
  whitespace: 'whitespace',
  /** Text that is mostly not in the script its language is written in. */
  script: 'script',
  /** A response whose last number is not the item's answer. */
  answer: 'answer',
  /** A prompt whose numbers differ from the pivot's prompt. */
  numbers: 'numbers',
  /** An item without the pivot language, in a file where other items have it. */
  missingPivot: 'missingPivot',
} as const;
