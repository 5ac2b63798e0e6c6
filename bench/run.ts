// `npm run bench`: figures, not assertions. For the tiny preset on each backend present:
// step time and tokens/s for SFT (lambda = 0) and SOLAR (lambda = 0.5), their ratio,
// peak memory; generation and evaluation speed. PyTorch beside us, from tiny to ~100M
// parameters, is bench/scaling.ts.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS, RunConfig } from '../protocol/runConfig';
import { type BackendInfo, selectBackend } from '../trainer/backend/selectBackend';
import { loadParallelJsonl } from '../trainer/data/load';
import { generateIds, generateIdsNoCache, generationBatch, promptIds } from '../trainer/eval/decode';
import { evaluate } from '../trainer/eval/evaluate';
import { initParams } from '../trainer/model/model';
import { type ModelConfig, presetConfig } from '../trainer/model/modelConfig';
import { BATCH_ITEMS, batchShape, benchBatches, LANGS, ROOT, timeSteps } from './stepTiming';
import { vsixSize } from './vsixSize';

/** Generation speed with and without the KV cache, and a full evaluation of the example eval set. */
async function benchEval(mc: ModelConfig) {
  await selectBackend('wasm');
  const params = initParams(mc, 0);
  const evalItems = loadParallelJsonl(path.join(ROOT, 'examples', 'data', 'eval.parallel.jsonl'));
  const o = { maxNewTokens: 48, maxSeqLen: mc.maxPositionEmbeddings };
  // Batch 8, and evaluation's own batch (decode.ts generationBatch: 32 for tiny).
  const rates: string[] = [];
  for (const batch of [8, generationBatch(mc, o.maxSeqLen)]) {
    const prompts = evalItems.slice(0, batch).map((it) => promptIds(it.langs.en.prompt, o.maxSeqLen));
    const t0 = performance.now();
    const n = generateIds(params, mc, prompts, o).reduce((k, r) => k + r.length, 0);
    rates.push(`batch ${batch}: ${(n / ((performance.now() - t0) / 1000)).toFixed(0)} tokens/s`);
  }
  let t0 = performance.now();
  let nPlain = 0;
  for (const it of evalItems.slice(0, 2))
    nPlain += generateIdsNoCache(params, mc, promptIds(it.langs.en.prompt, o.maxSeqLen), o).length;
  const plainSec = (performance.now() - t0) / 1000;
  console.log(
    `generation  KV cache, ${rates.join(', ')};  no cache, batch 1: ${(nPlain / plainSec).toFixed(0)} tokens/s`,
  );
  const cfg = RunConfig.parse(JSON.parse(readFileSync(path.join(ROOT, 'examples', 'demo.solar.json'), 'utf8')));
  t0 = performance.now();
  evaluate(params, mc, evalItems, {
    languages: LANGS,
    pivot: 'en',
    lowResource: cfg.lowResource,
    maxSeqLen: mc.maxPositionEmbeddings,
    objective: cfg.objective,
    evaluation: cfg.evaluation,
  });
  console.log(
    `eval        full example eval set (${evalItems.length} items x ${LANGS.length} languages, untrained model so generations run to the limit): ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  tf.dispose([...params.values()]);
}

async function main() {
  const mc = presetConfig('tiny', 192);
  const batches = benchBatches();
  const { rows, seq } = batchShape(batches);
  console.log(
    `tiny preset (d ${mc.hiddenSize}, ${mc.numHiddenLayers} layers), ${BATCH_ITEMS} parallel items/step = ~${rows} rows x ~${seq} tokens`,
  );
  console.log('backend     objective  step ms   tokens/s   peak RSS MB');
  for (const choice of BACKENDS) {
    let info: BackendInfo;
    try {
      info = await selectBackend(choice);
    } catch {
      console.log(`${choice.padEnd(11)} (not available)`);
      continue;
    }
    const steps = choice === 'cpu' ? 1 : 8; // the JS cpu backend takes over a minute per step
    const sft = timeSteps(mc, batches, 0, steps);
    const solar = timeSteps(mc, batches, 0.5, steps);
    for (const [name, f] of [
      ['SFT', sft],
      ['SOLAR', solar],
    ] as const) {
      console.log(
        `${info.backend.padEnd(11)} ${name.padEnd(10)} ${f.stepMs.toFixed(0).padStart(7)} ${f.tokensPerSec.toFixed(0).padStart(10)} ${f.peakMB.toFixed(0).padStart(12)}`,
      );
    }
    console.log(
      `${info.backend.padEnd(11)} SOLAR/SFT step-time ratio ${(solar.stepMs / sft.stepMs).toFixed(3)} (target <= 1.15)   [${info.device}]`,
    );
  }
  await benchEval(mc);
  const vsix = vsixSize();
  console.log(`vsix        ${(vsix.bytes / 1024 / 1024).toFixed(2)} MB, ${vsix.files} entries`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
