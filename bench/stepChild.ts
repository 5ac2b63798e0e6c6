// One configuration's training-step figures in a process of its own, so its peak memory is
// its own (bench/scaling.ts runs one per row). Argument: a JSON object
//   { hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, lambda, steps, items }
// Environment: SOLAR_NATIVE_BLAS=0 keeps the matmuls on wasm's XNNPACK.
// Prints one JSON line: Figures (bench/stepTiming.ts) plus the backend's device string.
import { selectBackend } from '../trainer/backend/selectBackend';
import { presetConfig } from '../trainer/model/modelConfig';
import { benchBatches, MAX_SEQ, timeSteps } from './stepTiming';

interface ChildArgs {
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  lambda: number;
  steps: number;
  /** Parallel items per batch. */
  items: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  const info = await selectBackend('wasm');
  const { lambda, steps, items, ...dims } = args;
  const mc = { ...presetConfig('tiny', MAX_SEQ), ...dims };
  const figures = timeSteps(mc, benchBatches(items), lambda, steps);
  console.log(JSON.stringify({ ...figures, device: info.device }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
