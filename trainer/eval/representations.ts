// Representations of parallel prompts for the cross-lingual metrics: per (item, language)
// the mean-pooled final-layer hidden state, the soft-token summary, and optionally the
// mean-pooled residual stream after every layer. Prompts are used (not responses) so
// eval sets without responses are measured the same way.
import * as tf from '@tensorflow/tfjs-core';
import type { ParallelItem } from '../../protocol/dataset';
import { forward, getParam, type Params } from '../model/model';
import type { ModelConfig } from '../model/modelConfig';
import { BYTE_TOKENIZER, type Tokenizer } from '../model/tokenizer';
import { softTokenSummaries } from '../train/objective';
import { defaultTokensPerPass, packRows } from '../train/rowPasses';
import { promptIds } from './decode';

/** language -> one vector per item (null where the item lacks that language). */
export type VectorsByLang = Map<string, (Float32Array | null)[]>;

export interface Representations {
  hidden: VectorsByLang;
  softTokens: VectorsByLang;
  /** One VectorsByLang per layer, when asked for. */
  layers: VectorsByLang[];
}

export interface RepresentationOptions {
  languages: string[];
  maxSeqLen: number;
  tau: number;
  topK: number;
  perLayer: boolean;
  /** Padded tokens per forward pass (rowPasses.ts; default from the vocabulary size). */
  tokensPerPass?: number;
  /** The model's tokenizer (default: the built-in byte-level one). */
  tokenizer?: Tokenizer;
}

/** Masked mean over T of x [R, T, d] with mask [R, T, 1] -> [R, d]. */
function maskedMean(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor2D {
  return tf.div(tf.sum(tf.mul(x, mask), 1), tf.maximum(tf.sum(mask, 1), 1)) as tf.Tensor2D;
}

function rowsOf(t: tf.Tensor2D): Float32Array[] {
  const [R, d] = t.shape;
  const data = t.dataSync() as Float32Array;
  return Array.from({ length: R }, (_, r) => data.slice(r * d, (r + 1) * d));
}

export function representations(
  params: Params,
  c: ModelConfig,
  items: ParallelItem[],
  o: RepresentationOptions,
): Representations {
  const empty = () => new Map(o.languages.map((l) => [l, items.map(() => null as Float32Array | null)]));
  const rep: Representations = {
    hidden: empty(),
    softTokens: empty(),
    layers: o.perLayer ? Array.from({ length: c.numHiddenLayers }, empty) : [],
  };
  const tok = o.tokenizer ?? BYTE_TOKENIZER;
  const rows: { item: number; lang: string; ids: number[]; length: number }[] = [];
  items.forEach((it, i) => {
    for (const l of o.languages) {
      if (!it.langs[l]) continue;
      const ids = promptIds(it.langs[l].prompt, o.maxSeqLen, tok);
      rows.push({ item: i, lang: l, ids, length: ids.length });
    }
  });
  for (const part of packRows(rows, o.tokensPerPass ?? defaultTokensPerPass(c))) {
    const T = Math.max(...part.map((r) => r.ids.length));
    const ids = part.map((r) => [...r.ids, ...new Array(T - r.ids.length).fill(tok.padId)]);
    const maskData = part.flatMap((r) => Array.from({ length: T }, (_, t) => (t < r.ids.length ? 1 : 0)));
    const [hidden, soft, layers] = tf.tidy(() => {
      const out = forward(params, c, tf.tensor2d(ids, [part.length, T], 'int32'), o.perLayer);
      const mask3 = tf.tensor3d(maskData, [part.length, T, 1]);
      const mask2 = tf.tensor2d(maskData, [part.length, T]);
      const embed = getParam(params, 'model.embed_tokens.weight') as tf.Tensor2D;
      return [
        rowsOf(maskedMean(out.hidden, mask3)),
        rowsOf(softTokenSummaries(out.logits, mask2, embed, o.tau, o.topK)),
        (out.layers ?? []).map((l) => rowsOf(maskedMean(l, mask3))),
      ] as const;
    });
    part.forEach((r, k) => {
      rep.hidden.get(r.lang)![r.item] = hidden[k];
      rep.softTokens.get(r.lang)![r.item] = soft[k];
      layers.forEach((layer, li) => (rep.layers[li].get(r.lang)![r.item] = layer[k]));
    });
  }
  return rep;
}
