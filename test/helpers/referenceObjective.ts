// The SOLAR objective written out again in plain float64 JavaScript, from the logits on:
// the function whose finite differences the trainer's analytic gradient must equal. What
// the method detaches is passed in as constants: E in the soft-token product and, unless
// the objective is symmetric, the pivots' summaries (README "The method, as implemented").
import type { ObjectiveConfig } from '../../protocol/runConfig';
import type { Batch } from '../../trainer/train/batches';

/** Mean soft-token distribution per row, [R][V]: mean over pooled positions of softmax(z / tau), top-k applied. logits: [R*T*V]. */
export function referenceMeanProbs(logits: ArrayLike<number>, b: Batch, o: ObjectiveConfig): Float64Array[] {
  const V = logits.length / (b.R * b.T);
  const out: Float64Array[] = [];
  for (let r = 0; r < b.R; r++) {
    const meanP = new Float64Array(V);
    let pooled = 0;
    for (let t = 0; t < b.T; t++) {
      if (!b.poolMask[r * b.T + t]) continue;
      pooled++;
      const z = Array.from({ length: V }, (_, j) => logits[(r * b.T + t) * V + j] / o.tau);
      // Top-k: entries below the k-th largest get probability 0.
      const kth = o.topK > 0 && o.topK < V ? [...z].sort((x, y) => y - x)[o.topK - 1] : -Infinity;
      const m = Math.max(...z);
      const e = z.map((x) => (x >= kth ? Math.exp(x - m) : 0));
      const s = e.reduce((a, x) => a + x, 0);
      e.forEach((x, j) => (meanP[j] += x / s));
    }
    out.push(meanP.map((x) => x / Math.max(pooled, 1)));
  }
  return out;
}

/** Soft-token summaries [R][d] = mean over pooled positions of softmax(z / tau) . E. logits: [R*T*V]; E: [V*d]. */
export function referenceSummaries(
  logits: ArrayLike<number>,
  b: Batch,
  E: ArrayLike<number>,
  o: ObjectiveConfig,
): number[][] {
  return referenceMeanProbs(logits, b, o).map((meanP) => {
    const d = E.length / meanP.length;
    const row = new Array<number>(d).fill(0);
    meanP.forEach((p, j) => {
      for (let k = 0; k < d; k++) row[k] += p * E[j * d + k];
    });
    return row;
  });
}

/** Token-mean response cross-entropy (nats) over the batch. logits: [R*T*V]. */
export function referenceCe(logits: ArrayLike<number>, b: Batch): number {
  const V = logits.length / (b.R * b.T);
  let sum = 0;
  let tokens = 0;
  for (let i = 0; i < b.R * b.T; i++) {
    if (!b.lossMask[i]) continue;
    let m = -Infinity;
    for (let j = 0; j < V; j++) m = Math.max(m, logits[i * V + j]);
    let s = 0;
    for (let j = 0; j < V; j++) s += Math.exp(logits[i * V + j] - m);
    sum += m + Math.log(s) - logits[i * V + b.targets[i]];
    tokens++;
  }
  return sum / Math.max(tokens, 1);
}

/** Mean over non-pivot rows with a pivot of 1 - cos(summary_r, pivot summary); pivots from `pivotSummaries`. */
export function referenceAlign(summaries: number[][], pivotSummaries: number[][], b: Batch): number {
  let sum = 0;
  let n = 0;
  b.pivotRow.forEach((p, r) => {
    if (p < 0 || p === r) return;
    const a = summaries[r];
    const q = pivotSummaries[p];
    const dot = a.reduce((s, x, k) => s + x * q[k], 0);
    const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    sum += 1 - dot / (norm(a) * norm(q));
    n++;
  });
  return n ? sum / n : 0;
}

/**
 * CE + lambda * L_align from logits, with E (and, when given, the pivots' summaries)
 * held constant: the loss as a function of the weights that the stop-gradients define.
 */
export function referenceLoss(
  logits: ArrayLike<number>,
  b: Batch,
  E: ArrayLike<number>,
  o: ObjectiveConfig,
  frozenPivots?: number[][],
): number {
  const summaries = referenceSummaries(logits, b, E, o);
  return referenceCe(logits, b) + o.lambda * referenceAlign(summaries, frozenPivots ?? summaries, b);
}
