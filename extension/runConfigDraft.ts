// The `*.solar.json` that New Run Config… writes, from the user's answers. No `$schema`
// key, ever: package.json's `jsonValidation` validates every `*.solar.json` wherever it
// is, while a relative `$schema` ("../protocol/runConfig.schema.json") stops validating
// ("Unable to load schema") once the file is copied or moved. Paths are relative to the
// config's folder, with `/` on every platform, so the file can be committed and shared.
// vscode-free, so it is unit-tested.
import * as path from 'node:path';
import type { BackendChoice, ModelPreset, RunConfigInput } from '../protocol/runConfig';

/** A built-in preset, or the absolute path of a pretrained model folder (already checked). */
export type ModelChoice = { preset: ModelPreset } | { folder: string };

export interface RunConfigAnswers {
  name: string;
  model: ModelChoice;
  lambda: number;
  /** Absolute paths of the datasets picked; `evalSet` absent: no evaluation during training. */
  train: string;
  evalSet?: string;
  /** The folder the config is written to (data paths are relative to it). */
  dir: string;
  backend: BackendChoice;
}

export function relativeTo(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}

/** Only the asked fields and a few useful ones; the JSON Schema documents the rest. */
export function draftRunConfig(a: RunConfigAnswers): RunConfigInput {
  return {
    name: a.name,
    // A folder is written relative to the config, like the data (the trainer resolves it so).
    model: 'folder' in a.model ? { path: relativeTo(a.dir, a.model.folder) } : { preset: a.model.preset },
    data: { train: relativeTo(a.dir, a.train), ...(a.evalSet ? { eval: relativeTo(a.dir, a.evalSet) } : {}) },
    pivot: 'en',
    objective: { lambda: a.lambda },
    steps: 200,
    batchSize: 4,
    evalEvery: a.evalSet ? 50 : 0,
    checkpointEvery: 50,
    seed: 0,
    backend: a.backend,
  };
}
