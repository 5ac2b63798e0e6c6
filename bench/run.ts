// `npm run bench`: figures, not assertions. For the tiny preset on each backend present:
// step time and tokens/s for SFT (lambda = 0) and SOLAR (lambda = 0.5), their ratio,
// peak memory; then the same model's step time in PyTorch on this machine (when Debian's
// python3-torch is installed) and our ratio to it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BACKENDS, OptimizerConfig, RunConfig } from '../protocol/runConfig';
import { type BackendInfo, selectBackend } from '../trainer/backend/selectBackend';
import { loadParallelJsonl } from '../trainer/data/load';
import { generateIds, generateIdsNoCache, promptIds } from '../trainer/eval/decode';
import { evaluate } from '../trainer/eval/evaluate';
import { initParams, paramGrads } from '../trainer/model/model';
import { type ModelConfig, presetConfig } from '../trainer/model/modelConfig';
import { type Batch, batchIndices, makeBatch } from '../trainer/train/batches';
import { computeLoss } from '../trainer/train/objective';
import { AdamW } from '../trainer/train/optimizer';
import { vsixSize } from './vsixSize';

const ROOT = path.resolve(__dirname, '..');
const LANGS = ['en', 'es', 'fr', 'zh', 'sw', 'yo', 'te'];
const BATCH_ITEMS = 4;

interface Figures {
  stepMs: number;
  tokensPerSec: number;
  peakMB: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeSteps(mc: ModelConfig, batches: Batch[], lambda: number, steps: number): Figures {
  const params = initParams(mc, 0);
  const opt = new AdamW(OptimizerConfig.parse({}), params);
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < steps + 1; i++) {
    const b = batches[i % batches.length];
    const t0 = performance.now();
    const { value, grads } = paramGrads(
      params,
      () => computeLoss(params, mc, b, { lambda, tau: 1, topK: 0, pool: 'response', symmetric: false }).loss,
    );
    opt.apply(params, grads, i + 1, 1e-3);
    value.dataSync();
    tf.dispose([value, ...grads.values()]);
    if (i > 0) times.push(performance.now() - t0); // the first step warms caches up
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const tokens = batches.reduce((n, b) => n + b.tokens, 0) / batches.length;
  tf.dispose([...params.values()]);
  opt.dispose();
  const ms = median(times);
  return { stepMs: ms, tokensPerSec: (tokens / ms) * 1000, peakMB: peak / 2 ** 20 };
}

function torchReference(rows: number, seq: number): { stepMs: number; threads: number; torch: string } | string {
  // Debian's python3-torch lives under the system python, not a pyenv one.
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const r = spawnSync(python, [path.join(ROOT, 'bench', 'torchRef.py'), '--rows', String(rows), '--seq', String(seq)], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').pop()!;
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** Generation speed with and without the KV cache, and a full evaluation of the example eval set. */
async function benchEval(mc: ModelConfig) {
  await selectBackend('wasm');
  const params = initParams(mc, 0);
  const evalItems = loadParallelJsonl(path.join(ROOT, 'examples', 'data', 'eval.parallel.jsonl'));
  const prompts = evalItems.slice(0, 8).map((it) => promptIds(it.langs.en.prompt, mc.maxPositionEmbeddings));
  const o = { maxNewTokens: 48, maxSeqLen: mc.maxPositionEmbeddings };
  let t0 = performance.now();
  const cached = generateIds(params, mc, prompts, o);
  const cachedSec = (performance.now() - t0) / 1000;
  const nCached = cached.reduce((n, r) => n + r.length, 0);
  t0 = performance.now();
  let nPlain = 0;
  for (const p of prompts.slice(0, 2)) nPlain += generateIdsNoCache(params, mc, p, o).length;
  const plainSec = (performance.now() - t0) / 1000;
  console.log(
    `generation  KV cache, batch 8: ${(nCached / cachedSec).toFixed(0)} tokens/s;  no cache, batch 1: ${(nPlain / plainSec).toFixed(0)} tokens/s`,
  );
  const cfg = RunConfig.parse(JSON.parse(readFileSync(path.join(ROOT, 'examples', 'demo.solar.json'), 'utf8')));
  t0 = performance.now();
  evaluate(params, mc, evalItems, {
    languages: LANGS,
    pivot: 'en',
    lowResource: cfg.lowResource,
    maxSeqLen: mc.maxPositionEmbeddings,
    batchSize: cfg.batchSize,
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
  const items = loadParallelJsonl(path.join(ROOT, 'examples', 'data', 'train.parallel.jsonl'));
  const batches = [1, 2, 3].map((s) =>
    makeBatch(
      batchIndices(items.length, BATCH_ITEMS, 0, s).map((i) => items[i]),
      { languages: LANGS, pivot: 'en', maxSeqLen: 192, pool: 'response' },
    ),
  );
  const rows = Math.round(batches.reduce((n, b) => n + b.R, 0) / batches.length);
  const seq = Math.round(batches.reduce((n, b) => n + b.T, 0) / batches.length);
  console.log(
    `tiny preset (d ${mc.hiddenSize}, ${mc.numHiddenLayers} layers), ${BATCH_ITEMS} parallel items/step = ~${rows} rows x ~${seq} tokens`,
  );
  console.log('backend     objective  step ms   tokens/s   peak RSS MB');
  const wasmSft: Record<string, number> = {};
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
    wasmSft[choice] = sft.stepMs;
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
  const ref = torchReference(rows, seq);
  if (typeof ref === 'string')
    console.log(`pytorch     (not available: ${ref}; apt-get install python3-torch libopenblas0-pthread)`);
  else {
    console.log(
      `pytorch     SFT        ${ref.stepMs.toFixed(0).padStart(7)}   (torch ${ref.torch}, ${ref.threads} threads, batch ${rows} x ${seq})`,
    );
    for (const [b, ms] of Object.entries(wasmSft))
      console.log(`${b.padEnd(11)} step time / PyTorch = ${(ms / ref.stepMs).toFixed(2)}x (target <= 1.5x)`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
