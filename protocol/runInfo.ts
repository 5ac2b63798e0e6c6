// What every UI shows about one run: status.json's fields plus what is derived from the
// folder (its checkpoints, whether its process is still alive). The one type for "a run"
// in the extension and the webviews; read by protocol/runFolder/runInfo.ts. No node
// imports here: the webview bundle imports this schema too.
import { z } from 'zod';
import { RUN_STATES, type RunState } from './metrics';
import { BACKENDS } from './runConfig';
import { RunKeyConfig } from './runDifferences';

export const RunInfo = z.object({
  /** The folder name, `<name>-<YYYYMMDD-HHMMSS>[-n]`. */
  id: z.string(),
  /** The run name: the id without its timestamp. */
  name: z.string(),
  /** Absolute path of the run folder. */
  dir: z.string(),
  /** The state shown: status.json's, except that a live state whose process is gone is failed. */
  state: z.enum(RUN_STATES),
  message: z.string().optional(),
  step: z.number().int().min(0),
  totalSteps: z.number().int().min(0),
  loss: z.number().optional(),
  /** Estimated seconds to completion. */
  etaSec: z.number().optional(),
  backend: z.enum(BACKENDS).optional(),
  device: z.string().optional(),
  startedAt: z.string().optional(),
  updatedAt: z.string().optional(),
  pid: z.number().int().optional(),
  lastCheckpoint: z.string().optional(),
  /** Best mean eval accuracy so far (0..1), from status.json. */
  bestAccuracy: z.number().optional(),
  /** The model's parameter count, from status.json (the trainer records it at start). */
  params: z.number().int().min(0).optional(),
  /** "byte-level" (a preset) or a model folder's tokenizer.json type ("BPE"); absent while unknown. */
  tokenizer: z.string().optional(),
  /** Checkpoint folder names, oldest step first. */
  checkpoints: z.array(z.string()),
  /** Can be continued with `solar train --resume`. */
  resumable: z.boolean(),
  /** The config fields that tell runs apart (lambda, model, data…); absent without a readable config.json. */
  keyConfig: RunKeyConfig.optional(),
});
export type RunInfo = z.infer<typeof RunInfo>;

/** "840 k", "494 M", "1.54 B": three significant digits; counts under a thousand as they are. */
export function formatParams(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toPrecision(3)} B`;
  if (n >= 1e6) return `${+(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e3) return `${+(n / 1e3).toPrecision(3)} k`;
  return String(n);
}

/** "tiny · 840 k params · byte-level": the model a run trains, as far as it is known. */
export function describeModel(r: RunInfo): string | undefined {
  const parts = [
    r.keyConfig?.model,
    r.params === undefined ? undefined : `${formatParams(r.params)} params`,
    r.tokenizer,
  ].filter((p): p is string => !!p);
  return parts.length ? parts.join(' · ') : undefined;
}

export function isActive(state: RunState): boolean {
  return state === 'starting' || state === 'running';
}
