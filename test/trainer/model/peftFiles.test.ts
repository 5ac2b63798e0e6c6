// LoRA adapters on disk in PEFT's layout (trainer/model/peftFiles.ts): the tensor names
// carry `base_model.model.`, adapter_config.json says what PEFT needs, both read back to
// the same settings and tensors, and a missing file, a wrong shape or a PEFT option we do
// not implement is one InputError naming the file and field.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../protocol/errors';
import { adapterShapes, initAdapters, withLora } from '../../../trainer/model/lora';
import { presetConfig } from '../../../trainer/model/modelConfig';
import {
  ADAPTER_FILES,
  readAdapterConfig,
  readAdapterWeights,
  writeAdapterFiles,
} from '../../../trainer/model/peftFiles';
import { encodeSafetensors, readSafetensors } from '../../../trainer/model/safetensors';
import { tempDir } from '../../helpers/helpers';

const c = withLora(
  { ...presetConfig('tiny', 64), numHiddenLayers: 3 },
  { lora: { rank: 4, alpha: 8, targets: ['v_proj', 'q_proj'] }, trainLayers: 2 },
);

test('written in the PEFT layout: prefixed names, adapter_config.json, and read back as written', () => {
  const dir = tempDir();
  const adapters = initAdapters(c, 1);
  writeAdapterFiles(dir, c, adapters, '/models/base');
  const file = readSafetensors(path.join(dir, ADAPTER_FILES.weights));
  assert.deepEqual(
    [...file.tensors.keys()],
    adapterShapes(c).map(([n]) => `base_model.model.${n}`),
  );
  assert.equal(file.metadata.format, 'pt');
  assert.ok([...file.tensors.keys()][0] === 'base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight');
  const json = JSON.parse(fs.readFileSync(path.join(dir, ADAPTER_FILES.config), 'utf8'));
  assert.deepEqual(
    [
      json.peft_type,
      json.task_type,
      json.base_model_name_or_path,
      json.r,
      json.lora_alpha,
      json.lora_dropout,
      json.target_modules,
      json.layers_to_transform,
      json.bias,
      json.fan_in_fan_out,
    ],
    ['LORA', 'CAUSAL_LM', '/models/base', 4, 8, 0, ['q_proj', 'v_proj'], [1, 2], 'none', false],
  );
  assert.deepEqual(readAdapterConfig(dir), c.lora);
  assert.deepEqual(readAdapterWeights(dir, c), adapters);
});

test('a missing adapter file, or a tensor missing or of the wrong shape, names the file and the tensor', () => {
  const dir = tempDir();
  assert.throws(
    () => readAdapterWeights(dir, c),
    (e: unknown) => e instanceof InputError && e.location.file === path.join(dir, ADAPTER_FILES.weights),
  );
  const adapters = initAdapters(c, 1);
  const wrong = 'model.layers.2.self_attn.v_proj.lora_B.weight';
  adapters.set(wrong, { shape: [4, 4], data: new Float32Array(16) });
  writeAdapterFiles(dir, c, adapters, 'tiny');
  assert.throws(
    () => readAdapterWeights(dir, c),
    (e: unknown) =>
      e instanceof InputError &&
      e.location.field === `base_model.model.${wrong}` &&
      /shape \[128,4\] \(got \[4,4\]\)/.test(e.message),
  );
  adapters.delete(wrong);
  fs.writeFileSync(path.join(dir, ADAPTER_FILES.weights), encodeSafetensors(new Map()));
  assert.throws(
    () => readAdapterWeights(dir, c),
    (e: unknown) => e instanceof InputError && /missing from the file/.test(e.message),
  );
});

test('adapter_config.json options that change the maths (DoRA, rsLoRA, a regex of modules) are refused by name', () => {
  const dir = tempDir();
  writeAdapterFiles(dir, c, initAdapters(c, 1), 'tiny');
  const file = path.join(dir, ADAPTER_FILES.config);
  const good = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [edit, field] of [
    [{ use_dora: true }, 'use_dora'],
    [{ use_rslora: true }, 'use_rslora'],
    [{ target_modules: '.*proj' }, 'target_modules'],
    [{ peft_type: 'IA3' }, 'peft_type'],
  ] as const) {
    fs.writeFileSync(file, JSON.stringify({ ...good, ...edit }));
    assert.throws(
      () => readAdapterConfig(dir),
      (e: unknown) => e instanceof InputError && e.location.file === file && e.location.field === field,
      field,
    );
  }
  fs.writeFileSync(file, JSON.stringify({ ...good, layers_to_transform: 2 }));
  assert.deepEqual(readAdapterConfig(dir).layers, [2]);
});
