// Parity with an independent implementation: PyTorch (float64) computed, once, the logits,
// hidden states, batch layout, SOLAR loss parts and gradients for fixed weights and a
// fixed batch (test/fixtures/parity/makeParity.py). The trainer, on the tfjs cpu backend
// in float32 (and the loss and gradients on wasm as well), must agree to ~1e-5 relative. This pins the forward pass (norms, RoPE,
// attention mask, SwiGLU, tied embeddings), the batching (targets, loss and pool masks,
// pivot rows) and the objective's values and stop-gradients to numbers no line of the
// TypeScript produced.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { parseWith } from '../../../protocol/errors';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import { assignArrays } from '../../../trainer/model/checkpoint';
import { forward, initParams, type Params, paramGrads } from '../../../trainer/model/model';
import { ModelConfig } from '../../../trainer/model/modelConfig';
import { type Batch, makeBatch, type PoolMode } from '../../../trainer/train/batches';
import { computeLoss, softTokenSummaries } from '../../../trainer/train/objective';
import { loadParityFixture, PARITY_DIR } from '../../helpers/parityFixture';

const fx = loadParityFixture();
const ex = fx.expected;
// Parsed at first use, inside a test: a broken schema fails tests rather than the file's loading.
const config = (): ModelConfig => parseWith(ModelConfig, ex.modelConfig, `${PARITY_DIR}/expected.json`);

before(async () => {
  await tf.setBackend('cpu');
});

/** max |got - want| over max |want|: one number per array, so tiny entries do not dominate. */
function relError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  assert.equal(got.length, want.length, 'length');
  let err = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return err / scale;
}

function assertClose(got: ArrayLike<number> | number, want: ArrayLike<number> | number, tol: number, what: string) {
  const g = typeof got === 'number' ? [got] : got;
  const w = typeof want === 'number' ? [want] : want;
  const e = relError(g, w);
  if (process.env.PARITY_VERBOSE) console.log(`${what}: ${e.toExponential(2)}`);
  assert.ok(
    e <= tol,
    `${what}: relative error ${e.toExponential(2)} > ${tol} (got ${Array.from(g).slice(0, 4)}..., want ${Array.from(w).slice(0, 4)}...)`,
  );
}

function expectedArray(name: string): Float32Array {
  const a = fx.arrays.get(name);
  assert.ok(a, `${name} missing from ${PARITY_DIR}/expected.safetensors`);
  return a.data;
}

function loadParams(): Params {
  const params = initParams(config(), 0);
  assignArrays(params, fx.weights, 'weights.safetensors');
  return params;
}

function batch(pool: PoolMode): Batch {
  return makeBatch(ex.items, { languages: ex.languages, pivot: ex.pivot, maxSeqLen: ex.maxSeqLen, pool });
}

/** Values of a [R, T, k] tensor at the fixture's sample positions, flattened. */
function atSamples(x: tf.Tensor3D): number[] {
  const v = x.arraySync();
  return ex.samplePositions.flatMap(([r, t]) => v[r][t]);
}

test('batching matches the independent layout: ids, targets, loss and pool masks, pivot rows', () => {
  const want = ex.batch;
  for (const pool of ['response', 'all'] as const) {
    const b = batch(pool);
    assert.equal(b.R, want.R);
    assert.equal(b.T, want.T);
    assert.deepEqual(b.rowLang, want.rowLang);
    assert.deepEqual(b.rowItem, want.rowItem);
    assert.deepEqual(Array.from(b.pivotRow), want.pivotRow);
    assert.deepEqual(Array.from(b.ids), want.ids);
    assert.deepEqual(Array.from(b.targets), want.targets);
    assert.deepEqual(Array.from(b.lossMask), want.lossMask);
    assert.deepEqual(Array.from(b.poolMask), pool === 'all' ? want.poolMaskAll : want.lossMask, `poolMask (${pool})`);
  }
});

test("forward pass: logits, final hidden states and every layer's residual stream match PyTorch", () => {
  const c = config();
  const params = loadParams();
  const b = batch('response');
  tf.tidy(() => {
    const out = forward(params, c, tf.tensor2d(b.ids, [b.R, b.T], 'int32'), true);
    assertClose(atSamples(out.logits), expectedArray('logits'), 1e-5, 'logits');
    assertClose(atSamples(out.hidden), expectedArray('hidden'), 1e-5, 'hidden');
    assert.equal(out.layers!.length, c.numHiddenLayers);
    out.layers!.forEach((x, i) => assertClose(atSamples(x), expectedArray(`layers.${i}`), 1e-5, `layers.${i}`));
  });
  tf.dispose([...params.values()]);
});

// On wasm too: with the native addon, its BLAS products and fused kernels (RMSNorm, RoPE
// into heads, the masked softmax, SwiGLU, each with its own gradient) are what run.
for (const [[name, want], backend] of Object.entries(ex.parts).flatMap((p) => [
  [p, 'cpu'] as const,
  [p, 'wasm'] as const,
])) {
  const o = want.objective;
  test(`SOLAR loss parts and gradients match PyTorch on ${backend} (${name}: lambda ${o.lambda}, tau ${o.tau}, topK ${o.topK}, pool ${o.pool}, symmetric ${o.symmetric})`, async () => {
    await selectBackend(backend);
    const c = config();
    const params = loadParams();
    const b = batch(o.pool);
    tf.tidy(() => {
      const parts = computeLoss(params, c, b, o);
      assertClose(parts.rowCe.dataSync(), want.rowCe, 1e-5, 'rowCe');
      assert.deepEqual(Array.from(parts.rowTokens.dataSync()), want.rowTokens);
      assertClose(parts.ce.dataSync()[0], want.ce, 1e-5, 'ce');
      // Per row, not as one array: a row whose 1 - cos is small must be right too.
      const rowAlign = parts.rowAlign.dataSync();
      want.rowAlign.forEach((w, r) =>
        w === 0
          ? assert.ok(rowAlign[r] === 0, `rowAlign[${r}] = ${rowAlign[r]}, not aligned`)
          : assertClose(rowAlign[r], w, 1e-5, `rowAlign[${r}]`),
      );
      assertClose(parts.align.dataSync()[0], want.align, 1e-5, 'align');
      assertClose(parts.loss.dataSync()[0], want.loss, 1e-5, 'loss');
      const { logits } = forward(params, c, tf.tensor2d(b.ids, [b.R, b.T], 'int32'));
      const embed = params.get('model.embed_tokens.weight')! as tf.Tensor as tf.Tensor2D;
      const summaries = softTokenSummaries(logits, tf.tensor2d(b.poolMask, [b.R, b.T]), embed, o.tau, o.topK);
      assertClose(summaries.dataSync(), want.summaries.flat(), 1e-5, 'summaries');
    });
    // Gradients of the total loss: where the stop-gradients sit (sg(E), sg(pivot) unless
    // symmetric) shows here, in the embedding's and every layer's gradient.
    const { value, grads } = paramGrads(params, () => computeLoss(params, c, b, o).loss);
    for (const t of ex.gradTensors)
      assertClose(grads.get(t)!.dataSync(), expectedArray(`grad.${name}.${t}`), 1e-5, `d loss / d ${t}`);
    tf.dispose([value, ...grads.values(), ...params.values()]);
    await tf.setBackend('cpu');
  });
}
