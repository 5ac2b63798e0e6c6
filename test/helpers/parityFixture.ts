// The parity fixture (test/fixtures/parity/): weights, a batch and the numbers an
// independent PyTorch implementation computed for them (makeParity.py writes it; see
// there). Validated here, so a regenerated fixture that drifted fails with a field name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ParallelItem } from '../../protocol/dataset';
import { parseWith } from '../../protocol/errors';
import { ObjectiveConfig } from '../../protocol/runConfig';
import { type NamedArray, readSafetensors } from '../../trainer/model/safetensors';
import { ROOT } from './helpers';

export const PARITY_DIR = path.join(ROOT, 'test', 'fixtures', 'parity');

const numbers = z.array(z.number());

const Parts = z.strictObject({
  objective: ObjectiveConfig,
  loss: z.number(),
  ce: z.number(),
  align: z.number(),
  rowCe: numbers, // [R] summed response-token CE (nats)
  rowTokens: numbers, // [R]
  rowAlign: numbers, // [R] 1 - cos to the pivot, 0 where not aligned
  summaries: z.array(numbers), // [R, d] soft-token summaries
});

const Expected = z.strictObject({
  generatedBy: z.string(),
  /** Parsed with the trainer's ModelConfig schema by the test (the schema is under test too). */
  modelConfig: z.record(z.string(), z.number()),
  maxSeqLen: z.number().int(),
  languages: z.array(z.string()),
  pivot: z.string(),
  items: z.array(ParallelItem),
  batch: z.strictObject({
    R: z.number().int(),
    T: z.number().int(),
    rowLang: z.array(z.string()),
    rowItem: z.array(z.number().int()),
    pivotRow: z.array(z.number().int()),
    ids: numbers, // [R*T]
    targets: numbers, // [R*T]
    lossMask: numbers, // [R*T], also the pool mask of pool: 'response'
    poolMaskAll: numbers, // [R*T], the pool mask of pool: 'all' (every real position)
  }),
  /** [row, position] pairs whose logits, hidden states and residuals are in expected.safetensors. */
  samplePositions: z.array(z.tuple([z.number().int(), z.number().int()])),
  gradTensors: z.array(z.string()),
  /** Keyed by objective name; `grad.<name>.<tensor>` in expected.safetensors. */
  parts: z.record(z.string(), Parts),
});
export type ParityExpected = z.infer<typeof Expected>;

export interface ParityFixture {
  expected: ParityExpected;
  weights: Map<string, NamedArray>;
  /** logits / hidden / layers.<i> at the sample positions, grad.<objective>.<tensor>. */
  arrays: Map<string, NamedArray>;
}

export function loadParityFixture(): ParityFixture {
  const file = path.join(PARITY_DIR, 'expected.json');
  const expected = parseWith(Expected, JSON.parse(fs.readFileSync(file, 'utf8')), file);
  return {
    expected,
    weights: readSafetensors(path.join(PARITY_DIR, 'weights.safetensors')).tensors,
    arrays: readSafetensors(path.join(PARITY_DIR, 'expected.safetensors')).tensors,
  };
}
