// AdamW (decoupled weight decay) with a linear-warmup + cosine schedule and global-norm
// gradient clipping: the nanoGPT recipe, written out so nothing is hidden.
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '../../protocol/runConfig';
import { adamWInPlace, adamWInPlaceAvailable } from '../backend/wasmAdamW';
import { checkArrays } from '../model/checkpoint';
import type { Params } from '../model/model';
import type { NamedArray } from '../model/safetensors';

/** Learning rate at 1-based `step` of `total`: linear warmup, then cosine down to minLrRatio * lr. */
export function learningRate(o: OptimizerConfig, step: number, total: number): number {
  if (o.warmupSteps > 0 && step <= o.warmupSteps) return (o.lr * step) / o.warmupSteps;
  const decaySteps = Math.max(1, total - o.warmupSteps);
  const progress = Math.min(1, (step - o.warmupSteps) / decaySteps);
  const minLr = o.lr * o.minLrRatio;
  return minLr + 0.5 * (o.lr - minLr) * (1 + Math.cos(Math.PI * progress));
}

/** One parameter's moments: backend variables (the tf ops path) or host arrays (in place). */
type Moments =
  | { kind: 'variables'; shape: number[]; m: tf.Variable; v: tf.Variable }
  | { kind: 'host'; shape: number[]; m: Float32Array; v: Float32Array };

export class AdamW {
  /** First and second moments per parameter, same names as the parameters. */
  private readonly moments = new Map<string, Moments>();
  /**
   * Whether updates run in place on the backend (wasm: trainer/backend/wasmAdamW.ts), the
   * moments then host arrays outside its heap; else the tf ops below, moments variables.
   */
  readonly inPlace: boolean;

  constructor(
    private readonly o: OptimizerConfig,
    params: Params,
  ) {
    this.inPlace = adamWInPlaceAvailable();
    for (const [name, p] of params) {
      this.moments.set(
        name,
        this.inPlace
          ? { kind: 'host', shape: p.shape, m: new Float32Array(p.size), v: new Float32Array(p.size) }
          : {
              kind: 'variables',
              shape: p.shape,
              m: tf.variable(tf.zerosLike(p), false),
              v: tf.variable(tf.zerosLike(p), false),
            },
      );
    }
  }

  /** The moments as named arrays, PyTorch's names: `<param>.exp_avg` and `<param>.exp_avg_sq`. */
  momentArrays(): Map<string, NamedArray> {
    const out = new Map<string, NamedArray>();
    for (const [name, mo] of this.moments) {
      const read = (x: tf.Variable | Float32Array): Float32Array =>
        x instanceof Float32Array ? x : (x.dataSync() as Float32Array);
      out.set(`${name}.exp_avg`, { shape: mo.shape, data: read(mo.m) });
      out.set(`${name}.exp_avg_sq`, { shape: mo.shape, data: read(mo.v) });
    }
    return out;
  }

  /** Loads moments saved by momentArrays (a resumed run), checking every name and shape against `file`. */
  loadMoments(arrays: Map<string, NamedArray>, file: string): void {
    for (const suffix of ['.exp_avg', '.exp_avg_sq']) {
      checkArrays(
        [...this.moments].map(([name, mo]) => [name, mo.shape] as const),
        arrays,
        file,
        suffix,
      );
    }
    for (const [name, mo] of this.moments) {
      const m = arrays.get(`${name}.exp_avg`)!.data;
      const v = arrays.get(`${name}.exp_avg_sq`)!.data;
      if (mo.kind === 'host') {
        mo.m.set(m);
        mo.v.set(v);
      } else {
        mo.m.assign(tf.tensor(m, mo.shape, 'float32'));
        mo.v.assign(tf.tensor(v, mo.shape, 'float32'));
      }
    }
  }

  /**
   * One update at 1-based `step` with learning rate `lr`. Gradients are clipped to the
   * global norm first; returns the norm before clipping.
   */
  apply(params: Params, grads: Map<string, tf.Tensor>, step: number, lr: number): number {
    const { beta1, beta2, eps, weightDecay, gradClip } = this.o;
    if (this.inPlace && !adamWInPlaceAvailable()) {
      throw new Error(`AdamW: built for in-place updates on wasm, but the backend is now ${tf.getBackend()}`);
    }
    const sq = tf.tidy(() => tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g)))));
    const gradNorm = Math.sqrt(sq.dataSync()[0]);
    sq.dispose();
    const clipScale = gradClip > 0 && gradNorm > gradClip ? gradClip / (gradNorm + 1e-6) : 1;
    const bc1 = 1 - beta1 ** step;
    const bc2 = 1 - beta2 ** step;
    tf.tidy(() => {
      for (const [name, p] of params) {
        const g0 = grads.get(name);
        const mo = this.moments.get(name);
        if (!g0 || !mo) continue;
        // Decay matrices only (embeddings and projections), never the norm gains: nanoGPT's rule.
        const decay = p.rank >= 2 && weightDecay > 0 ? 1 - lr * weightDecay : 1;
        if (mo.kind === 'host') {
          const fresh = adamWInPlace(p, g0, mo.m, mo.v, { beta1, beta2, eps, lr, decay, bc1, bc2, clipScale });
          if (fresh) p.assign(fresh); // p's memory was shared, so the update came back as a new tensor
          continue;
        }
        const { m, v } = mo;
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
    for (const mo of this.moments.values()) if (mo.kind === 'variables') tf.dispose([mo.m, mo.v]);
  }
}
