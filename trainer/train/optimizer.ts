// AdamW (decoupled weight decay) with a linear-warmup + cosine schedule and global-norm
// gradient clipping: the nanoGPT recipe, written out so nothing is hidden.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../protocol/runConfig';
import { ADAMW_KERNEL, type AdamWAttrs } from '../backend/wasmAdamW';
import type { Params } from '../model/model';

/** Learning rate at 1-based `step` of `total`: linear warmup, then cosine down to minLrRatio * lr. */
export function learningRate(o: OptimizerConfig, step: number, total: number): number {
  if (o.warmupSteps > 0 && step <= o.warmupSteps) return (o.lr * step) / o.warmupSteps;
  const decaySteps = Math.max(1, total - o.warmupSteps);
  const progress = Math.min(1, (step - o.warmupSteps) / decaySteps);
  const minLr = o.lr * o.minLrRatio;
  return minLr + 0.5 * (o.lr - minLr) * (1 + Math.cos(Math.PI * progress));
}

export class AdamW {
  /** First and second moments per parameter, same names as the parameters. */
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();

  constructor(
    private readonly o: OptimizerConfig,
    params: Params,
  ) {
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /**
   * One update at 1-based `step` with learning rate `lr`. Gradients are clipped to the
   * global norm first; returns the norm before clipping.
   */
  apply(params: Params, grads: Map<string, tf.Tensor>, step: number, lr: number): number {
    const { beta1, beta2, eps, weightDecay, gradClip } = this.o;
    const sq = tf.tidy(() => tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))));
    const gradNorm = Math.sqrt(sq.dataSync()[0]);
    sq.dispose();
    const clipScale = gradClip > 0 && gradNorm > gradClip ? gradClip / (gradNorm + 1e-6) : 1;
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    // One fused kernel per parameter where the backend has it (wasm: wasmAdamW.ts).
    const fused = tf.getKernel(ADAMW_KERNEL, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      for (const [name, p] of params) {
        const g0 = grads.get(name);
        if (!g0) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        // Decay matrices only (embeddings and projections), never the norm gains: nanoGPT's rule.
        const decay = p.rank >= 2 && weightDecay > 0 ? 1 - lr * weightDecay : 1;
        if (fused) {
          const attrs: AdamWAttrs = { beta1, beta2, eps, lr, decay, bc1, bc2, clipScale };
          const [p1, m1, v1] = tf.engine().runKernel(ADAMW_KERNEL, { p, m, v, g: g0 }, { ...attrs }) as tf.Tensor[];
          m.assign(m1);
          v.assign(v1);
          p.assign(p1);
          continue;
        }
        const g = clipScale === 1 ? g0 : tf.mul(g0, clipScale);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), eps));
        const decayed = decay === 1 ? p : tf.mul(p, decay);
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
    });
    return gradNorm;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
