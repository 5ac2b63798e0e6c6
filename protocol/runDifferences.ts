// What tells runs apart: the few config fields a user varies between runs (lambda, model,
// data, ...), read from a run's resolved config.json into a RunKeyConfig, and the labels of
// only those fields that differ among the runs listed together ("λ 0.5 · tiny ·
// train.parallel.jsonl"). The Runs tree describes each run with them and `solar compare`
// names its groups with them. No node imports: the webview bundle may import this too.
import { z } from 'zod';
import type { RunConfig } from './runConfig';

export const RunKeyConfig = z.object({
  lambda: z.number(),
  /** The built-in model preset, or a pretrained model folder's name. */
  model: z.string(),
  /** Context length in tokens (bytes). */
  maxSeqLen: z.number().int(),
  /** Absolute paths (the resolved config's); shown by file name. */
  train: z.string(),
  eval: z.string().optional(),
  /** Absent: every language of the training set. */
  languages: z.array(z.string()).optional(),
  tau: z.number(),
  topK: z.number().int(),
  pool: z.string(),
  symmetric: z.boolean(),
  lr: z.number(),
  batchSize: z.number().int(),
  steps: z.number().int(),
  seed: z.number().int(),
});
export type RunKeyConfig = z.infer<typeof RunKeyConfig>;
export type KeyField = keyof RunKeyConfig;

export function keyConfigOf(c: RunConfig): RunKeyConfig {
  return {
    lambda: c.objective.lambda,
    // A pretrained folder by its name (no node:path here: the webview imports this).
    model: c.model.path
      ? c.model.path
          .replace(/[\\/]+$/, '')
          .split(/[\\/]/)
          .pop()!
      : (c.model.preset ?? 'tiny'),
    maxSeqLen: c.model.maxSeqLen,
    train: c.data.train,
    ...(c.data.eval !== undefined ? { eval: c.data.eval } : {}),
    ...(c.languages ? { languages: c.languages } : {}),
    tau: c.objective.tau,
    topK: c.objective.topK,
    pool: c.objective.pool,
    symmetric: c.objective.symmetric,
    lr: c.optimizer.lr,
    batchSize: c.batchSize,
    steps: c.steps,
    seed: c.seed,
  };
}

/** Display order: what a comparison is usually about first (objective, model, data). */
const LABELS: [KeyField, (v: string) => string][] = [
  ['lambda', (v) => `λ ${v}`],
  ['model', (v) => v],
  ['maxSeqLen', (v) => `ctx ${v}`],
  ['train', (v) => v],
  ['eval', (v) => `eval ${v}`],
  ['languages', (v) => v],
  ['tau', (v) => `τ ${v}`],
  ['topK', (v) => (v === '0' ? 'full vocab' : `top-k ${v}`)],
  ['pool', (v) => `pool ${v}`],
  ['symmetric', (v) => (v === 'true' ? 'symmetric' : 'stop-grad pivot')],
  ['lr', (v) => `lr ${v}`],
  ['batchSize', (v) => `batch ${v}`],
  ['steps', (v) => `${v} steps`],
  ['seed', (v) => `seed ${v}`],
];

const PATH_FIELDS = new Set<KeyField>(['train', 'eval']);

/** Path -> its shortest tail of segments that still tells the given paths apart. */
export function shortPaths(paths: readonly string[]): Map<string, string> {
  const distinct = [...new Set(paths)];
  const split = distinct.map((p) => p.split(/[\\/]+/).filter(Boolean));
  const most = Math.max(1, ...split.map((s) => s.length));
  for (let k = 1; k <= most; k++) {
    const tails = split.map((s) => s.slice(-k).join('/'));
    if (new Set(tails).size === distinct.length || k === most)
      return new Map(distinct.map((p, i) => [p, tails[i] || p]));
  }
  return new Map();
}

function raw(c: RunKeyConfig, f: KeyField): string {
  const v = c[f];
  if (v === undefined) return f === 'languages' ? 'all languages' : f === 'eval' ? 'none' : '';
  return Array.isArray(v) ? v.join(',') : String(v);
}

/**
 * For each config, the labels of the fields whose values are not the same across every
 * known config, in display order; undefined configs (no readable config.json) get none
 * and do not count. Fewer than two known configs differ in nothing.
 */
export function keyDifferences(
  configs: readonly (RunKeyConfig | undefined)[],
  o: { ignore?: readonly KeyField[] } = {},
): string[][] {
  const known = configs.filter((c): c is RunKeyConfig => c !== undefined);
  const out = configs.map((): string[] => []);
  if (known.length < 2) return out;
  for (const [field, label] of LABELS) {
    if (o.ignore?.includes(field)) continue;
    const values = known.map((c) => raw(c, field));
    if (new Set(values).size < 2) continue;
    const short = PATH_FIELDS.has(field) ? shortPaths(values) : undefined;
    configs.forEach((c, i) => {
      if (!c) return;
      const v = raw(c, field);
      out[i].push(label(short?.get(v) ?? v));
    });
  }
  return out;
}

/**
 * The Runs tree's description: what sets the run apart first, then its state and step
 * ("λ 0 · small · running · 40/150"); accuracy and start time live in the tooltip, so the
 * description still says what matters at the default sidebar width.
 */
export function describeWithDifferences(
  differences: readonly string[],
  run: { state: string; step: number; totalSteps: number },
): string {
  return [...differences, run.state, ...(run.totalSteps ? [`${run.step}/${run.totalSteps}`] : [])].join(' · ');
}

/** Every key field in one line, for a tooltip: "λ 0.5 · tiny · ctx 512 · train.parallel.jsonl · …". */
export function keySummary(c: RunKeyConfig): string {
  const fields: KeyField[] = ['lambda', 'model', 'maxSeqLen', 'train', 'steps', 'batchSize', 'lr', 'seed'];
  return fields
    .map((f) => {
      const [, label] = LABELS.find(([k]) => k === f)!;
      const v = raw(c, f);
      return label(PATH_FIELDS.has(f) ? (v.split(/[\\/]+/).pop() ?? v) : v);
    })
    .join(' · ');
}
