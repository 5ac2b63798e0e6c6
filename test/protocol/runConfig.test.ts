// The run config's model block at its edges (protocol/runConfig.ts): what a user may write
// for LoRA and partial training, and what is refused with the field named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LORA_TARGETS, ModelConfig } from '../../protocol/runConfig';

/** The path of the first issue when `model` is refused, or null when it parses. */
function refusedAt(model: unknown): string | null {
  const r = ModelConfig.safeParse(model);
  return r.success ? null : r.error.issues[0].path.join('.');
}

test('LoRA defaults: rank 8, alpha 16, all seven projections', () => {
  const m = ModelConfig.parse({ lora: {} });
  assert.deepEqual(m.lora, { rank: 8, alpha: 16, targets: [...LORA_TARGETS] });
  assert.equal(m.preset, 'tiny');
});

test('LoRA rank: an integer from 1 to 256', () => {
  assert.equal(refusedAt({ lora: { rank: 1 } }), null);
  assert.equal(refusedAt({ lora: { rank: 256 } }), null);
  assert.equal(refusedAt({ lora: { rank: 0 } }), 'lora.rank');
  assert.equal(refusedAt({ lora: { rank: 257 } }), 'lora.rank');
  assert.equal(refusedAt({ lora: { rank: 2.5 } }), 'lora.rank');
});

test('LoRA alpha must be positive', () => {
  assert.equal(refusedAt({ lora: { alpha: 0.5 } }), null);
  assert.equal(refusedAt({ lora: { alpha: 0 } }), 'lora.alpha');
});

test('LoRA targets: at least one, each known projection at most once', () => {
  assert.equal(refusedAt({ lora: { targets: ['q_proj'] } }), null);
  assert.equal(refusedAt({ lora: { targets: ['q_proj', 'v_proj'] } }), null);
  assert.equal(refusedAt({ lora: { targets: [] } }), 'lora.targets');
  assert.equal(refusedAt({ lora: { targets: ['q_proj', 'q_proj'] } }), 'lora.targets');
  assert.equal(refusedAt({ lora: { targets: ['lm_head'] } }), 'lora.targets.0');
  assert.equal(refusedAt({ lora: { rank: 4, dropout: 0.1 } }), 'lora', 'unknown LoRA fields are refused');
});

test('trainLayers: a whole number of layers, 0 or more', () => {
  assert.equal(refusedAt({ trainLayers: 0 }), null);
  assert.equal(refusedAt({ trainLayers: 3 }), null);
  assert.equal(refusedAt({ trainLayers: -1 }), 'trainLayers');
  assert.equal(refusedAt({ trainLayers: 1.5 }), 'trainLayers');
});

test('a model is a preset or a path, not both', () => {
  assert.equal(refusedAt({ path: 'models/x' }), null);
  assert.equal(refusedAt({ preset: 'small', path: 'models/x' }), 'path');
});
