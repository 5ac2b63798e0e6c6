// AdamW (decoupled weight decay) with a linear-warmup + cosine schedule and global-norm
// gradient clipping: the nanoGPT recipe, written out so nothing is hidden.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../protocol/runConfig';
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
    tf.tidy(() => {
      for (const [name, p] of params) {
        const g0 = grads.get(name);
        if (!g0) continue;
        const g = clipScale === 1 ? g0 : tf.mul(g0, clipScale);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        const update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), eps));
        // Decay matrices only (embeddings and projections), never the norm gains: nanoGPT's rule.
        const decayed = p.rank >= 2 && weightDecay > 0 ? tf.mul(p, 1 - lr * weightDecay) : p;
        p.assign(tf.sub(decayed, tf.mul(update, lr)));
      }
    });
    return gradNorm;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
  }
}
