// How well hidden states separate by language. After SOLAR alignment we want
// language identity to be LESS recoverable from the shared reasoning layers,
// so both numbers here are expected to fall: the silhouette towards 0 and the
// linear-probe accuracy towards chance.

import { mulberry32 } from '../numeric/rng';
import { cosine } from './similarity';

/**
 * Mean silhouette coefficient with cosine distance (1 - cos), matching
 * sklearn.metrics.silhouette_score(X, labels, metric="cosine"):
 * a(i) = mean distance to the other members of i's cluster,
 * b(i) = smallest mean distance to the members of another cluster,
 * s(i) = (b - a) / max(a, b), and s(i) = 0 for a single-member cluster.
 */
export function silhouetteCosine(points: readonly Float32Array[], labels: readonly string[]): number {
  const n = points.length;
  if (labels.length !== n) throw new Error(`silhouetteCosine: ${n} points but ${labels.length} labels`);
  const clusters = [...new Set(labels)];
  if (clusters.length < 2) throw new Error('silhouetteCosine: needs at least two distinct labels');
  const clusterOf = labels.map((l) => clusters.indexOf(l));
  const sizes = clusters.map((_, c) => clusterOf.filter((x) => x === c).length);

  // dist[i][c]: summed distance from point i to every point of cluster c.
  const dist = points.map(() => new Float64Array(clusters.length));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      // Clip at 0: cosine distance cannot be negative, rounding aside (sklearn clips too).
      const d = Math.max(0, 1 - cosine(points[i], points[j]));
      dist[i][clusterOf[j]] += d;
      dist[j][clusterOf[i]] += d;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = clusterOf[i];
    if (sizes[own] === 1) continue; // s(i) = 0
    const a = dist[i][own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < clusters.length; c++) if (c !== own) b = Math.min(b, dist[i][c] / sizes[c]);
    const denom = Math.max(a, b);
    total += denom > 0 ? (b - a) / denom : 0;
  }
  return total / n;
}

export interface ProbeOptions {
  /** Number of stratified folds (default 5; capped at the number of points). */
  folds?: number;
  /** Seed for the fold shuffle, so that reruns give the same number (default 0). */
  seed?: number;
  /** Full-batch Adam steps per fold (default 100). */
  epochs?: number;
  /** L2 penalty on the weights, not the biases (default 1e-3). */
  l2?: number;
  /** Adam step size (default 0.05). */
  learningRate?: number;
}

export interface ProbeResult {
  /** Share of points whose held-out prediction was right, pooled over folds. */
  accuracy: number;
  /** Share of the majority class: what always guessing it would score. */
  chance: number;
}

/**
 * Fold index per point. Each class is shuffled and dealt round-robin, the
 * dealer continuing from where the previous class stopped, so every fold gets
 * its share of every class and fold sizes differ by at most one.
 */
export function stratifiedFolds(y: Int32Array, classes: number, folds: number, seed: number): Int32Array {
  const next = mulberry32(seed);
  const fold = new Int32Array(y.length);
  let dealer = 0;
  for (let c = 0; c < classes; c++) {
    const idx: number[] = [];
    y.forEach((label, i) => {
      if (label === c) idx.push(i);
    });
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    for (const i of idx) fold[i] = dealer++ % folds;
  }
  return fold;
}

interface Trained {
  weights: Float64Array; // classes x dim, row-major
  bias: Float64Array;
}

/** Multinomial logistic regression by full-batch Adam on the softmax cross-entropy. */
function trainSoftmax(
  x: Float64Array,
  y: Int32Array,
  dim: number,
  classes: number,
  epochs: number,
  l2: number,
  lr: number,
): Trained {
  const n = y.length;
  const params = new Float64Array(classes * dim + classes); // weights then biases
  const grad = new Float64Array(params.length);
  const m = new Float64Array(params.length);
  const v = new Float64Array(params.length);
  const logits = new Float64Array(classes);
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  for (let t = 1; t <= epochs; t++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * dim;
      let max = -Infinity;
      for (let c = 0; c < classes; c++) {
        let z = params[classes * dim + c];
        for (let d = 0; d < dim; d++) z += params[c * dim + d] * x[row + d];
        logits[c] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += logits[c] = Math.exp(logits[c] - max);
      for (let c = 0; c < classes; c++) {
        const g = (logits[c] / sum - (y[i] === c ? 1 : 0)) / n;
        for (let d = 0; d < dim; d++) grad[c * dim + d] += g * x[row + d];
        grad[classes * dim + c] += g;
      }
    }
    for (let k = 0; k < params.length; k++) {
      const g = k < classes * dim ? grad[k] + l2 * params[k] : grad[k];
      m[k] = beta1 * m[k] + (1 - beta1) * g;
      v[k] = beta2 * v[k] + (1 - beta2) * g * g;
      const mHat = m[k] / (1 - beta1 ** t);
      const vHat = v[k] / (1 - beta2 ** t);
      params[k] -= (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
  return { weights: params.subarray(0, classes * dim), bias: params.subarray(classes * dim) };
}

function predict(model: Trained, row: Float64Array, dim: number, classes: number): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < classes; c++) {
    let z = model.bias[c];
    for (let d = 0; d < dim; d++) z += model.weights[c * dim + d] * row[d];
    if (z > bestScore) [best, bestScore] = [c, z];
  }
  return best;
}

/**
 * k-fold linear-probe accuracy for predicting `labels` from `points`.
 * Features are standardised with the training fold's mean and standard
 * deviation only, so nothing about the held-out fold leaks into training.
 */
export function probeAccuracy(
  points: readonly Float32Array[],
  labels: readonly string[],
  opts: ProbeOptions = {},
): ProbeResult {
  const n = points.length;
  if (labels.length !== n) throw new Error(`probeAccuracy: ${n} points but ${labels.length} labels`);
  const classNames = [...new Set(labels)].sort();
  if (classNames.length < 2) throw new Error('probeAccuracy: needs at least two distinct labels');
  const folds = Math.min(opts.folds ?? 5, n);
  if (!Number.isInteger(folds) || folds < 2)
    throw new Error('probeAccuracy: needs at least two folds (and two points)');
  const dim = points[0].length;
  if (points.some((p) => p.length !== dim)) throw new Error('probeAccuracy: points have different dimensions');
  const classes = classNames.length;
  const y = Int32Array.from(labels, (l) => classNames.indexOf(l));
  const counts = classNames.map((_, c) => y.filter((v) => v === c).length);
  const fold = stratifiedFolds(y, classes, folds, opts.seed ?? 0);

  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const mean = new Float64Array(dim);
    const sd = new Float64Array(dim);
    for (const i of train) for (let d = 0; d < dim; d++) mean[d] += points[i][d] / train.length;
    for (const i of train) for (let d = 0; d < dim; d++) sd[d] += (points[i][d] - mean[d]) ** 2 / train.length;
    // A constant feature carries no signal; dividing by 1 keeps it at 0 instead of NaN.
    for (let d = 0; d < dim; d++) sd[d] = sd[d] > 1e-24 ? Math.sqrt(sd[d]) : 1;
    const standardise = (i: number, out: Float64Array, at: number): void => {
      for (let d = 0; d < dim; d++) out[at + d] = (points[i][d] - mean[d]) / sd[d];
    };
    const x = new Float64Array(train.length * dim);
    train.forEach((i, r) => standardise(i, x, r * dim));
    const model = trainSoftmax(
      x,
      Int32Array.from(train, (i) => y[i]),
      dim,
      classes,
      opts.epochs ?? 100,
      opts.l2 ?? 1e-3,
      opts.learningRate ?? 0.05,
    );
    const row = new Float64Array(dim);
    for (const i of test) {
      standardise(i, row, 0);
      if (predict(model, row, dim, classes) === y[i]) correct++;
    }
  }
  return { accuracy: correct / n, chance: Math.max(...counts) / n };
}
