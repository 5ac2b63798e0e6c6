// Shared helpers for unit tests: temp folders, example paths, reading run folders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NodeChoice } from '../../extension/nodeRuntime';
import type { MetricEvent } from '../../protocol/metrics';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
export const CLI = path.join(ROOT, 'dist', 'trainer.js');

/** Folders made by tempDir in this process, removed when it exits. */
const made: string[] = [];

/**
 * A fresh folder under the OS temp dir, removed when the test process exits (also when a
 * test fails or bails out before its own cleanup: runs and checkpoints take hundreds of MB,
 * and a mutation run executes the tests hundreds of times). SOLAR_KEEP_TEST_DIRS=1 keeps them.
 */
export function tempDir(prefix = 'solar-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (made.length === 0 && process.env.SOLAR_KEEP_TEST_DIRS !== '1') {
    process.on('exit', () => {
      for (const d of made) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  made.push(dir);
  return dir;
}

/** Write a run config next to the example data (so relative data paths resolve) in a temp folder. */
export function writeConfig(dir: string, config: Record<string, unknown>, name = 'test.solar.json'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** A small, fast config over the example datasets. */
export function smallConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'unit',
    model: { preset: 'tiny', maxSeqLen: 128 },
    data: {
      train: path.join(EXAMPLES, 'data', 'train.parallel.jsonl'),
      eval: path.join(EXAMPLES, 'data', 'eval.parallel.jsonl'),
      evalSize: 4,
    },
    languages: ['en', 'es', 'sw'],
    objective: { lambda: 0.5 },
    optimizer: { lr: 0.003, warmupSteps: 2 },
    steps: 8,
    batchSize: 2,
    checkpointEvery: 0,
    backend: 'wasm',
    evaluation: { maxNewTokens: 24 },
    ...overrides,
  };
}

export function readEvents(runDir: string): MetricEvent[] {
  return fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MetricEvent);
}

export function trainLosses(runDir: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const e of readEvents(runDir)) if (e.kind === 'train') out.set(e.step, e.loss);
  return out;
}

/** The Node running the tests, as the extension's launcher would choose it. */
export const TEST_NODE: NodeChoice = {
  command: process.execPath,
  env: {},
  source: 'path',
  version: process.version,
  nativeAddons: true,
  describe: 'test node',
};
