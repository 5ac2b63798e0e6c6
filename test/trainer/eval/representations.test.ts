// Representations for the cross-lingual metrics: mean-pooled over each prompt's own tokens
// only, so padding, batch-mates and chunking change nothing.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { promptIds } from '../../../trainer/eval/decode';
import { representations } from '../../../trainer/eval/representations';
import { forward, initParams } from '../../../trainer/model/model';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';
import { softTokenSummaries } from '../../../trainer/train/objective';
import { sampleItems } from '../../helpers/fixtures';

before(async () => {
  await tf.setBackend('cpu');
});

const c: ModelConfig = {
  ...presetConfig('tiny', 128),
  hiddenSize: 16,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 24,
};

function assertNear(got: Float32Array | null, want: ArrayLike<number>, what: string) {
  assert.ok(got, `${what} missing`);
  const err = Math.max(...Array.from(want, (w, k) => Math.abs(w - got[k])));
  assert.ok(err < 1e-5, `${what}: max difference ${err}`);
}

test('each prompt is pooled over its own tokens: as if run alone, whatever the padding and chunking', () => {
  const params = initParams(c, 4);
  const items = sampleItems();
  const langs = ['en', 'sw', 'te'];
  const o = { languages: langs, maxSeqLen: 128, tau: 0.7, topK: 0, perLayer: true };
  const rep = representations(params, c, items, { ...o, tokensPerPass: 100_000 });
  const chunked = representations(params, c, items, { ...o, tokensPerPass: 60 });
  assert.equal(rep.layers.length, c.numHiddenLayers);
  items.forEach((it, i) => {
    for (const l of langs) {
      if (!it.langs[l]) {
        assert.equal(rep.hidden.get(l)![i], null, `${it.id}/${l} has no prompt`);
        continue;
      }
      // The same prompt alone in a batch of one: plain means over its T positions.
      const ids = promptIds(it.langs[l].prompt, 128);
      const T = ids.length;
      const [hidden, soft, layers] = tf.tidy(() => {
        const out = forward(params, c, tf.tensor2d([ids], [1, T], 'int32'), true);
        const summary = softTokenSummaries(
          out.logits,
          tf.ones([1, T]) as tf.Tensor2D,
          params.get('model.embed_tokens.weight')! as tf.Tensor as tf.Tensor2D,
          o.tau,
          o.topK,
        );
        return [
          tf.mean(out.hidden, 1).dataSync(),
          summary.dataSync(),
          out.layers!.map((x) => tf.mean(x, 1).dataSync()),
        ] as const;
      });
      assertNear(rep.hidden.get(l)![i], hidden, `hidden ${it.id}/${l}`);
      assertNear(rep.softTokens.get(l)![i], soft, `soft tokens ${it.id}/${l}`);
      layers.forEach((x, li) => assertNear(rep.layers[li].get(l)![i], x, `layer ${li} ${it.id}/${l}`));
      assertNear(chunked.hidden.get(l)![i], hidden, `hidden ${it.id}/${l}, 2 rows per batch`);
    }
  });
  tf.dispose([...params.values()]);
});
