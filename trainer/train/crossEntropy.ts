// Token cross-entropy -log softmax(z)[target] as one custom-gradient op, built so the
// wasm backend never runs its Exp kernel: tfjs-wasm's Exp is scalar libm, ~11 ns per
// element, and tf.logSoftmax's forward and backward each run it over the whole [N, V]
// logits (15 ms of a 300 ms tiny-preset step, scratch/bcast.ts and bench/kernelProfile.ts).
// Its Softmax kernel is ~1 ns per element, and the log-sum-exp follows from it:
//
//   p = softmax(z)                        [N, V]; p_j = exp(z_j - max z) / S
//   p at the argmax = 1 / S, so  lse = max z + log S = max z - log(max_j p_j)
//   nll = lse - z[target]                 [N]
//
// max_j p_j >= 1 / V, so the log never sees an underflowed 0. The gradient is the
// textbook one, dz = (p - onehot(target)) * dnll, with p saved from the forward pass:
// three [N, V] passes instead of logSoftmax's and the one-hot product's eight or so.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-position negative log-likelihood of `targets` under softmax(logits), in nats.
 * logits: [..., V] float32; targets: the leading shape [...], int32 in [0, V).
 * Returns the leading shape. Differentiable in logits (targets are data).
 */
export function tokenNll(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  const lead = logits.shape.slice(0, -1);
  const V = logits.shape[logits.shape.length - 1];
  const N = lead.reduce((a, b) => a * b, 1);
  if (targets.shape.join() !== lead.join()) {
    throw new Error(`tokenNll: targets [${targets.shape}] must have the logits' leading shape [${lead}]`);
  }
  const flatTargets = tf.reshape(targets, [N]);
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const z = args[0] as tf.Tensor2D; // [N, V]
    const save = args[1] as tf.GradSaveFunc;
    const p = tf.softmax(z);
    const lse = tf.sub(tf.max(z, -1), tf.log(tf.max(p, -1))); // [N]
    // z[n, target_n] as a gather on the flat logits: [N] values, no [N, V] one-hot here.
    const at = tf.add(tf.mul(tf.range(0, N, 1, 'int32'), tf.scalar(V, 'int32')), flatTargets);
    const picked = tf.gather(tf.reshape(z, [N * V]), at);
    save([p]);
    return {
      value: tf.sub(lse, picked),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const oneHot = tf.oneHot(flatTargets, V, 1, 0, 'float32');
        return [tf.mul(tf.sub(saved[0], oneHot), tf.reshape(dy as tf.Tensor, [N, 1]))];
      },
    };
  });
  return tf.reshape(op(tf.reshape(logits, [N, V])), lead);
}
