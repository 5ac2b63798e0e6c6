// Names inside a run folder: its files, its checkpoints, and the run's own id and name.
// Everything that spells a run file's name imports it from here.
import * as path from 'node:path';

/** The files and folders of `.solar/runs/<run-id>/` (README "Run folder"). */
export const RUN_FILES = {
  /** The resolved run config (every default filled in). Written by the trainer. */
  config: 'config.json',
  /** The latest state, rewritten atomically. Written by the trainer only. */
  status: 'status.json',
  /** Append-only events, one JSON object per line. Written by the trainer only. */
  metrics: 'metrics.jsonl',
  /** Human-readable log of the trainer. */
  log: 'trainer.log',
  /** Held by the trainer that writes this folder (pid inside); keeps a second one out. */
  lock: 'trainer.lock',
  /**
   * Disk space the trainer sets aside while it runs (deleted at exit): on a full disk it
   * is freed so the final `failed` status can still be written.
   */
  reserve: '.space-reserve',
  /** checkpoints/step-NNNNNN/ folders. */
  checkpoints: 'checkpoints',
  /** Full evaluations by `solar eval`: evals/<data>-step-NNNNNN.json. */
  evals: 'evals',
  /** The finished model as a Hugging Face folder (written when a run completes, and by `solar export`). */
  export: 'export',
  /** Written by the extension when it launches a trainer: how, and how it ended. */
  launch: 'launch.json',
  /** The trainer's stdout + stderr when the extension launched it. */
  console: 'console.log',
} as const;
export type RunFileKey = keyof typeof RUN_FILES;

/** The files of one checkpoint folder (Hugging Face layout plus our trainer state). */
export const CHECKPOINT_FILES = {
  model: 'model.safetensors',
  optimizer: 'optimizer.safetensors',
  hfConfig: 'config.json',
  /** Hugging Face generation settings: the token ids generation stops at. */
  generationConfig: 'generation_config.json',
  /** Written last inside the temporary folder: a checkpoint without it is not one. */
  trainerState: 'trainer_state.json',
  /** A LoRA run's adapters, in PEFT's layout (trainer/model/peftFiles.ts), beside the unchanged base. */
  adapterWeights: 'adapter_model.safetensors',
  adapterConfig: 'adapter_config.json',
} as const;

export function runFile(dir: string, key: RunFileKey): string {
  return path.join(dir, RUN_FILES[key]);
}

const CHECKPOINT_RE = /^step-(\d+)$/;

/** 42 -> "step-000042" (zero-padded to 6 digits; longer step counts just grow). */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}

/** "step-000042" -> 42; anything else (temp folders, stray files) -> null. */
export function checkpointStep(name: string): number | null {
  const m = CHECKPOINT_RE.exec(name);
  return m ? Number(m[1]) : null;
}

/** The folder a checkpoint is written in before it is renamed into place. */
export function checkpointTempName(step: number, pid = process.pid): string {
  return `.${checkpointName(step)}.tmp-${pid}`;
}

/** "demo" + 2026-11-23T12:15:18Z -> "demo-20261123-121518" (UTC). */
export function runId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${name}-${stamp}`;
}

/** The run name of a run id: "demo-20250101-120000" and its clash variant "…-120000-2" -> "demo". */
export function runName(id: string): string {
  return id.replace(/-\d{8}-\d{6}(-\d+)?$/, '');
}

/** The default run name of a config file name: "demo.solar.json" -> "demo". */
export function runNameFromConfigFile(fileName: string): string {
  return fileName.replace(/\.solar\.json$|\.json$/, '') || 'run';
}
