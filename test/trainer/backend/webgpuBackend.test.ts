// The webgpu backend (Dawn + tfjs-backend-webgpu) on whatever machine runs the tests. The
// tests branch on what Dawn finds here (asked the same way the loader asks, in a child
// process): without an adapter (every CPU-only machine: no Vulkan driver) an explicit
// 'webgpu' must fail naming the missing adapter and Dawn's words, and 'auto' must go on
// to wasm with that reason in its notes; with an adapter, the backend must either train
// (a few gradient steps, read asynchronously) or be refused for the one known reason,
// tfjs-backend-webgpu's synchronous reads needing OffscreenCanvas. Failures of the
// packages themselves are simulated through the loader's injected resolver, pointing it
// at nothing or at small stand-in modules, never by mocking modules.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { type TestContext, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { BackendLoadError } from '../../../trainer/backend/backendLoadError';
import { dawnWords, probeDawnAdapter } from '../../../trainer/backend/dawnProbe';
import { selectBackend } from '../../../trainer/backend/selectBackend';
import {
  ADAPTER_TIMEOUT_MS,
  loadWebgpuBackend,
  TFJS_WEBGPU_PACKAGE,
  WEBGPU_PACKAGE,
} from '../../../trainer/backend/webgpuBackend';
import { tempDir } from '../../helpers/helpers';

const req = createRequire(__filename);
function resolveReal(name: string): string | null {
  try {
    return req.resolve(name);
  } catch {
    return null;
  }
}
const webgpuEntry = resolveReal(WEBGPU_PACKAGE);
const noPackage = webgpuEntry === null && 'the optional webgpu package is not installed here';
const hasAdapter = webgpuEntry !== null && probeDawnAdapter(webgpuEntry, [], ADAPTER_TIMEOUT_MS).found;
const SYNC_READ_REFUSAL = /cannot read a tensor back synchronously in Node \(OffscreenCanvas is not defined/;

/** The BackendLoadError a promise rejects with (any other outcome fails the test). */
async function loadError(p: Promise<unknown>): Promise<BackendLoadError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof BackendLoadError, `expected a BackendLoadError, got ${String(e)}`);
    return e;
  }
  assert.fail('the backend loaded, expected a failure');
}

/** A stand-in for the webgpu package's index.js, written to a temp folder removed after the test. */
function standIn(t: TestContext, source: string): string {
  const dir = tempDir('solar-webgpu-');
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'index.mjs');
  fs.writeFileSync(file, source);
  return file;
}

test("Dawn's words lose their native source locations", () => {
  const stderr =
    "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory\n" +
    '    at operator() (/home/runner/work/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)\n\n';
  assert.equal(
    dawnWords(stderr),
    "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory",
  );
  assert.equal(dawnWords(''), '');
  assert.equal(dawnWords('x'.repeat(1000)).length, 300);
});

test("explicit 'webgpu': names the missing adapter, or trains where there is one", { skip: noPackage }, async () => {
  if (!hasAdapter) {
    await assert.rejects(selectBackend('webgpu'), (e: Error) => {
      assert.match(e.message, /^backend 'webgpu' is not available: Dawn found no GPU adapter/);
      assert.match(e.message, /Dawn (said: \S|printed nothing)/);
      assert.match(e.message, /Vulkan on Linux/);
      assert.match(e.message, /choose backend 'auto', 'wasm' or 'cpu'/);
      return true;
    });
    return;
  }
  let info: Awaited<ReturnType<typeof selectBackend>>;
  try {
    info = await selectBackend('webgpu');
  } catch (e) {
    // The adapter is there; the one refusal known today is the trainer's synchronous reads.
    assert.match((e as Error).message, SYNC_READ_REFUSAL);
    return;
  }
  assert.equal(info.backend, 'webgpu');
  assert.match(info.device, /^GPU \(WebGPU via Dawn: /);
  // Least squares on y = 2x - 1: gradient steps on the GPU must bring the loss down.
  const x = tf.tensor2d([[0], [1], [2], [3]]);
  const y = tf.tensor2d([[-1], [1], [3], [5]]);
  const w = tf.variable(tf.zeros([1, 1]));
  const b = tf.variable(tf.zeros([1]));
  const loss = () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar;
  const first = (await loss().data())[0];
  for (let i = 0; i < 50; i++) {
    const { grads } = tf.variableGrads(loss);
    w.assign(tf.sub(w, tf.mul(grads[w.name], 0.05)));
    b.assign(tf.sub(b, tf.mul(grads[b.name], 0.05)));
  }
  const last = (await loss().data())[0];
  assert.equal(first, 9);
  assert.ok(last < 0.5, `loss ${first} -> ${last}`);
});

test("'auto' tries webgpu after tfjs-node and before wasm, and notes why it moved on", {
  skip: noPackage,
}, async (t) => {
  const info = await selectBackend('auto');
  if (info.backend === 'tensorflow') return t.skip('tfjs-node loads here, so auto never reaches webgpu');
  if (info.backend === 'webgpu') {
    assert.ok(hasAdapter);
    return;
  }
  assert.equal(info.backend, 'wasm');
  const note = info.notes.find((n) => n.startsWith('webgpu: '));
  assert.ok(note, `no webgpu note in ${JSON.stringify(info.notes)}`);
  const tfjsNode = info.notes.findIndex((n) => n.startsWith('@tensorflow/tfjs-node'));
  assert.ok(tfjsNode < info.notes.indexOf(note), 'tfjs-node is tried before webgpu');
  if (hasAdapter) assert.match(note, /cannot read tensors synchronously in Node/);
  else assert.match(note, /^webgpu: Dawn found no GPU adapter; Dawn (said: \S|printed nothing)/);
});

test('a webgpu package that is not installed, or cannot be resolved, is said so', async () => {
  const missing = await loadError(loadWebgpuBackend([], { resolve: () => null }));
  assert.equal(missing.short, 'webgpu: webgpu not installed');
  assert.match(missing.message, /Fix: npm install webgpu @tensorflow\/tfjs-backend-webgpu/);
  const broken = await loadError(
    loadWebgpuBackend([], {
      resolve: () => {
        throw new Error('Invalid package config /x/node_modules/webgpu/package.json.');
      },
    }),
  );
  assert.equal(
    broken.short,
    'webgpu: webgpu cannot be resolved: Invalid package config /x/node_modules/webgpu/package.json.',
  );
});

test("dawn.node that fails to load is reported with its loader's error", async (t) => {
  const entry = standIn(
    t,
    "throw new Error('/x/dawn.node: cannot open shared object file: No such file or directory');\n",
  );
  const e = await loadError(loadWebgpuBackend([], { resolve: () => entry }));
  assert.equal(
    e.short,
    'webgpu: dawn.node failed to load: /x/dawn.node: cannot open shared object file: No such file or directory',
  );
});

test('a requestAdapter that never settles counts as no adapter after the timeout', async (t) => {
  // The timer starts only in requestAdapter, which runs in the probe's child process.
  const entry = standIn(
    t,
    'export const globals = {};\n' +
      'export function create() {\n' +
      '  return { requestAdapter: () => new Promise(() => setInterval(() => {}, 1000)) };\n' +
      '}\n',
  );
  const e = await loadError(loadWebgpuBackend([], { resolve: () => entry, adapterTimeoutMs: 400 }));
  assert.match(e.short, /^webgpu: Dawn found no GPU adapter \(requestAdapter did not settle within 400 ms\)/);
});

// Dawn's 'null' backend offers an adapter on any machine (it computes nothing), which
// drives the loader past the adapter. Last in this file: a refused backend is removed
// from the engine, and tfjs-backend-webgpu registers its factory only on first load.
test('past an adapter: a missing tfjs-backend-webgpu, then the sync-read refusal, leave no Dawn globals', {
  skip: noPackage,
}, async () => {
  const resolve = (n: string) => (n === TFJS_WEBGPU_PACKAGE ? null : resolveReal(n));
  const noTfjs = await loadError(loadWebgpuBackend([], { resolve, dawnOptions: ['backend=null'] }));
  assert.equal(noTfjs.short, `webgpu: ${TFJS_WEBGPU_PACKAGE} not installed`);

  const e = await loadError(loadWebgpuBackend([], { resolve: resolveReal, dawnOptions: ['backend=null'] }));
  assert.match(e.message, /runs on GPU \(WebGPU via Dawn: null-backend\)/);
  assert.match(e.message, SYNC_READ_REFUSAL);
  const g = globalThis as { navigator?: { gpu?: unknown }; GPUBufferUsage?: unknown };
  assert.equal(g.navigator?.gpu, undefined);
  assert.equal(g.GPUBufferUsage, undefined);
  assert.equal(tf.findBackendFactory('webgpu'), null);
});
