// Rotary position embeddings, rotate-half form as in Hugging Face Llama: each head's
// vector is split in two halves (x1, x2) and turned by angle position * f_i, where the
// hd/2 frequencies are f_i = theta^(-2i/hd), optionally rescaled for long contexts
// (rope_scaling; the formulas of transformers' modeling_rope_utils).
import * as tf from '@tensorflow/tfjs-core';
import type { RopeScaling } from './modelConfig';

/**
 * The hd/2 inverse frequencies f_i = theta^(-2i/hd), rescaled:
 * - linear: every f_i / factor (positions stretched by `factor`);
 * - llama3: by wavelength 2π/f_i against the original context C: longer than
 *   C / lowFreqFactor -> f_i / factor; shorter than C / highFreqFactor -> unchanged; in
 *   between, interpolated with s = (C / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor)
 *   as (1 - s) f_i / factor + s f_i.
 */
export function ropeInvFreq(hd: number, theta: number, scaling?: RopeScaling): number[] {
  const base = Array.from({ length: hd / 2 }, (_, i) => theta ** ((-2 * i) / hd));
  if (!scaling) return base;
  if (scaling.ropeType === 'linear') return base.map((f) => f / scaling.factor);
  const { factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings: C } = scaling;
  const lowFreqWavelen = C / lowFreqFactor;
  const highFreqWavelen = C / highFreqFactor;
  return base.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen > lowFreqWavelen) return f / factor;
    if (wavelen < highFreqWavelen) return f;
    const s = (C / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
    return ((1 - s) * f) / factor + s * f;
  });
}

/**
 * cos and sin tables for rotate-half RoPE at explicit positions: [B, 1, S, hd] each (the
 * hd/2 frequencies repeated twice). positions: [B][S]; one row broadcasts over the batch.
 */
export function ropeTables(
  positions: number[][],
  hd: number,
  theta: number,
  scaling?: RopeScaling,
): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const B = positions.length;
  const S = positions[0].length;
  const half = hd / 2;
  const invFreq = ropeInvFreq(hd, theta, scaling);
  const cos = new Float32Array(B * S * hd);
  const sin = new Float32Array(B * S * hd);
  for (let b = 0; b < B; b++) {
    for (let s = 0; s < S; s++) {
      const base = (b * S + s) * hd;
      for (let i = 0; i < half; i++) {
        const angle = positions[b][s] * invFreq[i];
        cos[base + i] = cos[base + i + half] = Math.cos(angle);
        sin[base + i] = sin[base + i + half] = Math.sin(angle);
      }
    }
  }
  return { cos: tf.tensor4d(cos, [B, 1, S, hd]), sin: tf.tensor4d(sin, [B, 1, S, hd]) };
}

/**
 * rotate_half as a matrix: x @ R = [-x2, x1] for x = [x1, x2] (halves of hd). R [hd, hd] is a
 * signed permutation, so each output is exactly one input (the other terms add +-0). One
 * matmul (forward, and one for the gradient) instead of split + neg + concat: on wasm the
 * split and concat are copies in JS that cost ~13% of a tiny step (bench/kernelProfile.ts).
 */
function rotateHalfMatrix(hd: number): tf.Tensor2D {
  const half = hd / 2;
  const r = new Float32Array(hd * hd);
  for (let i = 0; i < half; i++) {
    r[(i + half) * hd + i] = -1; // rotated[i] = -x[i + half]
    r[i * hd + i + half] = 1; // rotated[i + half] = x[i]
  }
  return tf.tensor2d(r, [hd, hd]);
}

/** Apply RoPE to x [B, H, S, hd]: x * cos + rotate_half(x) * sin, rotate_half(x) = [-x2, x1]; cos, sin: [B or 1, 1, S, hd]. */
export function applyRope(x: tf.Tensor4D, cos: tf.Tensor, sin: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const rotated = tf.matMul(x, rotateHalfMatrix(x.shape[3]));
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin));
  });
}
