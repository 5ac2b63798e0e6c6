// config.json <-> ModelConfig: transformers' defaults for absent fields, both ways of
// writing rope scaling, what is refused (naming the field), and a written config reading
// back as the same model.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { generationConfigJson, hfConfigJson, modelConfigFromHf } from '../../../trainer/model/hfConfig';
import { type ModelConfig, presetConfig } from '../../../trainer/model/modelConfig';

const LLAMA = {
  architectures: ['LlamaForCausalLM'],
  hidden_size: 64,
  intermediate_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 8,
  vocab_size: 1000,
};
const ids = { bosTokenId: 1, eosTokenId: 2, padTokenId: 0, stopIds: [2, 7] };

test("absent fields take transformers' defaults: one key/value head per head, untied, eps 1e-6, theta 10000", () => {
  assert.deepEqual(modelConfigFromHf(LLAMA, 'config.json'), {
    vocabSize: 1000,
    hiddenSize: 64,
    intermediateSize: 128,
    numHiddenLayers: 2,
    numAttentionHeads: 8,
    maxPositionEmbeddings: 2048,
    ropeTheta: 10000,
    rmsNormEps: 1e-6,
    modelType: 'llama',
    numKeyValueHeads: 8,
    tieWordEmbeddings: false,
  });
  const qwen = modelConfigFromHf({ ...LLAMA, architectures: ['Qwen2ForCausalLM'] }, 'config.json');
  assert.deepEqual([qwen.modelType, qwen.maxPositionEmbeddings], ['qwen2', 32768]);
});

test('rope scaling as transformers 4 writes it (rope_scaling) and as 5 does (rope_parameters, theta inside)', () => {
  const llama3 = { factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 };
  const want = {
    ropeType: 'llama3',
    factor: 8,
    lowFreqFactor: 1,
    highFreqFactor: 4,
    originalMaxPositionEmbeddings: 8192,
  };
  const v4 = modelConfigFromHf({ ...LLAMA, rope_theta: 500000, rope_scaling: { ...llama3, rope_type: 'llama3' } }, 'c');
  assert.deepEqual([v4.ropeTheta, v4.ropeScaling], [500000, want]);
  const old = modelConfigFromHf({ ...LLAMA, rope_scaling: { type: 'linear', factor: 2 } }, 'c');
  assert.deepEqual(old.ropeScaling, { ropeType: 'linear', factor: 2 });
  const v5 = modelConfigFromHf(
    { ...LLAMA, rope_parameters: { rope_type: 'llama3', rope_theta: 500000, ...llama3 } },
    'c',
  );
  assert.deepEqual([v5.ropeTheta, v5.ropeScaling], [500000, want]);
  assert.equal(modelConfigFromHf({ ...LLAMA, rope_scaling: null }, 'c').ropeScaling, undefined);
});

test('what the model code does not implement is refused, naming the field', () => {
  const refused = (raw: Record<string, unknown>, field: string, pattern: RegExp) =>
    assert.throws(
      () => modelConfigFromHf(raw, '/m/config.json'),
      (e: unknown) =>
        e instanceof InputError &&
        e.location.file === '/m/config.json' &&
        e.location.field === field &&
        pattern.test(e.message),
      field,
    );
  refused({ ...LLAMA, architectures: ['GPT2LMHeadModel'] }, 'architectures', /GPT2LMHeadModel/);
  refused({ ...LLAMA, hidden_act: 'gelu' }, 'hidden_act', /"gelu"/);
  refused({ ...LLAMA, mlp_bias: true }, 'mlp_bias', /no MLP biases/);
  refused(
    { ...LLAMA, architectures: ['Qwen2ForCausalLM'], use_sliding_window: true },
    'use_sliding_window',
    /full attention/,
  );
  refused({ ...LLAMA, rope_scaling: { rope_type: 'dynamic', factor: 2 } }, 'rope_scaling.rope_type', /"dynamic"/);
  refused({ ...LLAMA, rope_scaling: { rope_type: 'llama3', factor: 8 } }, 'rope_scaling.low_freq_factor', /a number/);
  const { hidden_size: _, ...noHidden } = LLAMA;
  refused(noHidden, 'hidden_size', /positive integer/);
  refused({ ...LLAMA, num_key_value_heads: 3 }, 'num_key_value_heads', /a divisor of num_attention_heads 8/);
  refused({ ...LLAMA, num_attention_heads: 64 }, 'num_attention_heads', /an even head width \(got 1\)/);
});

test('a written config.json reads back as the same model, with the token ids beside it', () => {
  const configs: ModelConfig[] = [
    modelConfigFromHf(LLAMA, 'c'),
    modelConfigFromHf(
      {
        ...LLAMA,
        num_key_value_heads: 2,
        head_dim: 16,
        attention_bias: true,
        tie_word_embeddings: true,
        rope_scaling: { rope_type: 'linear', factor: 4 },
      },
      'c',
    ),
    modelConfigFromHf({ ...LLAMA, architectures: ['Qwen2ForCausalLM'], tie_word_embeddings: true }, 'c'),
  ];
  for (const c of configs) {
    const json = hfConfigJson(c, ids);
    assert.deepEqual(modelConfigFromHf(JSON.parse(JSON.stringify(json)), 'c'), c);
    assert.deepEqual([json.bos_token_id, json.eos_token_id, json.pad_token_id], [1, 2, 0]);
  }
  // The built-in model: tied, no GQA, byte-level ids.
  const tiny = hfConfigJson(presetConfig('tiny', 64), {
    bosTokenId: 257,
    eosTokenId: 259,
    padTokenId: 256,
    stopIds: [259],
  });
  assert.deepEqual(
    [tiny.architectures, tiny.num_key_value_heads, tiny.tie_word_embeddings, tiny.eos_token_id],
    [['LlamaForCausalLM'], 4, true, 259],
  );
  assert.deepEqual(generationConfigJson(ids).eos_token_id, [2, 7]);
});
