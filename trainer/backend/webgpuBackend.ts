/**
 * The 'webgpu' backend: @tensorflow/tfjs-backend-webgpu on Dawn's Node binding (the
 * `webgpu` package, which ships dawn.node). Both are optional dependencies, so they are
 * resolved at run time (`resolve`, selectBackend's resolver with its extra module paths)
 * and a missing package is an ordinary BackendLoadError.
 *
 * Order, each step with its own reason when it fails: load dawn.node in this process; ask
 * Dawn for an adapter in a child process (dawnProbe.ts: catches Dawn's own words and any
 * hang); create our Dawn instance and its adapter (the adapter's name is the device
 * string); only then put Dawn's GPU* classes and `navigator.gpu` on globalThis, which
 * tfjs-backend-webgpu reads both when it registers (no `navigator.gpu`, no backend) and in
 * its kernels (GPUBufferUsage, GPUMapMode, ...); load it and make 'webgpu' current.
 *
 * Then one check the trainer needs: reading a GPU tensor synchronously (dataSync, which
 * the training loop, the optimizer's clipping and evaluation use). tfjs-backend-webgpu
 * 4.22 implements readSync by drawing through OffscreenCanvas, which exists in browsers
 * only, so in Node it throws; until those reads are asynchronous the backend is refused
 * here, with that reason, rather than failing at the first step.
 *
 * Every failure after the globals were set removes them again (and the backend), so that
 * 'auto' goes on to wasm with nothing of Dawn left alive: a referenced Dawn instance keeps
 * Node from exiting.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { BackendLoadError, errorMessage } from './backendLoadError';
import { probeDawnAdapter } from './dawnProbe';
import type { BackendInfo } from './selectBackend';

export const WEBGPU_PACKAGE = 'webgpu';
export const TFJS_WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';
/** How long Dawn may take to answer requestAdapter before it counts as no adapter, ms. */
export const ADAPTER_TIMEOUT_MS = 5000;

export interface WebgpuLoadOptions {
  /** Absolute entry file of a package, null when it is not installed; may throw (unreadable package.json). */
  resolve: (name: string) => string | null;
  /** Options for Dawn's create(), e.g. ['backend=vulkan'] (see the webgpu package's README). Default none. */
  dawnOptions?: readonly string[];
  adapterTimeoutMs?: number;
  /** Take a software (fallback) adapter too; 'auto' does not, since it would be slower than wasm. */
  allowFallbackAdapter?: boolean;
}

/** The little of Dawn's GPUAdapterInfo we read (the WebGPU spec's fields). */
interface AdapterInfoView {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface AdapterView {
  info?: AdapterInfoView;
  /** Before adapter.info existed (older Dawn builds). */
  requestAdapterInfo?: () => Promise<AdapterInfoView>;
  isFallbackAdapter?: boolean;
}
interface GpuView {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<AdapterView | null>;
}
interface WebgpuModule {
  create(options: string[]): GpuView;
  globals: Record<string, unknown>;
}

function asWebgpuModule(m: unknown): WebgpuModule | null {
  const v = m as Partial<WebgpuModule> | null;
  return v != null && typeof v.create === 'function' && typeof v.globals === 'object' && v.globals !== null
    ? (v as WebgpuModule)
    : null;
}

const INSTALL_FIX = `npm install ${WEBGPU_PACKAGE} ${TFJS_WEBGPU_PACKAGE}`;
const DRIVER_FIX =
  "a GPU and its driver are needed: Vulkan on Linux (a vendor driver: Debian's software lavapipe lacks a feature Dawn requires), Metal on macOS, D3D12 on Windows";

/** Promise's value, or null when it has not settled within `ms` (the timer is cleared either way). */
async function settleWithin<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((res) => {
    timer = setTimeout(() => res(null), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** 'GPU (WebGPU via Dawn: nvidia, hopper, NVIDIA H100 80GB HBM3)'. */
export function describeAdapter(info: AdapterInfoView | undefined): string {
  const parts = [info?.vendor, info?.architecture, info?.description || info?.device].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
  return `GPU (WebGPU via Dawn: ${parts.length > 0 ? parts.join(', ') : 'unnamed adapter'})`;
}

/** Puts Dawn's globals and navigator.gpu on globalThis; returns the undo. */
function installGlobals(mod: WebgpuModule, gpu: GpuView): () => void {
  const g = globalThis as Record<string, unknown> & { navigator?: Record<string, unknown> };
  const added = Object.keys(mod.globals).filter((k) => !(k in g));
  for (const k of added) g[k] = mod.globals[k];
  // Node 20 has no navigator; Node 21+ has one without gpu.
  const ownNavigator = g.navigator === undefined;
  if (ownNavigator) g.navigator = {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  return () => {
    if (ownNavigator) delete g.navigator;
    else if (g.navigator) delete g.navigator.gpu;
    for (const k of added) delete g[k];
  };
}

/** A GPU-resident tensor read back with dataSync, as the trainer does; throws what the backend throws. */
function readBackSynchronously(): void {
  // tfjs-backend-webgpu warns once that sync reads are slow; this probe is not the trainer's read.
  (tf.backend() as unknown as { hasReadSyncWarned?: boolean }).hasReadSyncWarned = true;
  // A matmul runs on the GPU whatever its size (small elementwise ops may be handed to the CPU).
  const t = tf.tidy(() => tf.matMul(tf.ones([4, 4]), tf.ones([4, 4])));
  try {
    t.dataSync();
  } finally {
    t.dispose();
  }
}

export async function loadWebgpuBackend(notes: string[], opts: WebgpuLoadOptions): Promise<BackendInfo> {
  const timeoutMs = opts.adapterTimeoutMs ?? ADAPTER_TIMEOUT_MS;
  const dawnOptions = [...(opts.dawnOptions ?? [])];
  const resolveOrThrow = (name: string): string => {
    let entry: string | null;
    try {
      entry = opts.resolve(name);
    } catch (e) {
      const why = errorMessage(e);
      throw new BackendLoadError(
        `${name} cannot be resolved (${why}). Fix: ${INSTALL_FIX}.`,
        `webgpu: ${name} cannot be resolved: ${why}`,
      );
    }
    if (entry === null)
      throw new BackendLoadError(`${name} is not installed. Fix: ${INSTALL_FIX}.`, `webgpu: ${name} not installed`);
    return entry;
  };

  const entry = resolveOrThrow(WEBGPU_PACKAGE);
  let mod: WebgpuModule | null;
  try {
    // ESM package: import() by file URL; a variable specifier, so bundlers leave it alone.
    mod = asWebgpuModule(await import(pathToFileURL(entry).href));
  } catch (e) {
    const why = errorMessage(e);
    throw new BackendLoadError(
      `${WEBGPU_PACKAGE} (${entry}) failed to load dawn.node: ${why}. Fix: reinstall it (${INSTALL_FIX}); its prebuilt dawn.node covers Linux x64/arm64, macOS and Windows x64/arm64.`,
      `webgpu: dawn.node failed to load: ${why}`,
    );
  }
  if (mod === null)
    throw new BackendLoadError(
      `${WEBGPU_PACKAGE} (${entry}) does not export create() and globals (expected Dawn's Node binding, webgpu@0.6). Fix: ${INSTALL_FIX}.`,
      `webgpu: ${entry} is not Dawn's Node binding`,
    );

  const probe = probeDawnAdapter(entry, dawnOptions, timeoutMs);
  if (!probe.found) {
    const dawn = probe.dawnSaid.length > 0 ? `; Dawn said: ${probe.dawnSaid}` : '; Dawn printed nothing';
    const what =
      probe.why === 'no-adapter' ? 'Dawn found no GPU adapter' : `Dawn found no GPU adapter (${probe.detail})`;
    throw new BackendLoadError(`${what}${dawn}. Fix: ${DRIVER_FIX}.`, `webgpu: ${what}${dawn}`);
  }

  let gpu: GpuView;
  let adapter: AdapterView | null;
  try {
    gpu = mod.create(dawnOptions);
    adapter = await settleWithin(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs);
  } catch (e) {
    const why = errorMessage(e);
    throw new BackendLoadError(
      `Dawn's requestAdapter failed in the trainer: ${why}. Fix: ${DRIVER_FIX}.`,
      `webgpu: requestAdapter failed: ${why}`,
    );
  }
  if (adapter === null)
    throw new BackendLoadError(
      `Dawn found an adapter in a probe process but none in the trainer within ${timeoutMs} ms. Fix: ${DRIVER_FIX}.`,
      'webgpu: no adapter in the trainer (the probe process found one)',
    );
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.().catch(() => undefined));
  const device = describeAdapter(info);
  if ((info?.isFallbackAdapter ?? adapter.isFallbackAdapter) === true) {
    if (opts.allowFallbackAdapter !== true)
      throw new BackendLoadError(
        `Dawn offers only a software (fallback) adapter, ${device}, slower than the wasm backend. Fix: ${DRIVER_FIX}; or choose backend 'webgpu' to use it anyway.`,
        `webgpu: only a software adapter (${device})`,
      );
    notes.push(`${device} is a software (fallback) adapter: expect it to be slower than wasm`);
  }

  const backendEntry = resolveOrThrow(TFJS_WEBGPU_PACKAGE);
  const undoGlobals = installGlobals(mod, gpu);
  const fail = (message: string, short: string): never => {
    if (tf.findBackend('webgpu') != null || tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
    undoGlobals();
    throw new BackendLoadError(message, short);
  };
  try {
    // Registers the 'webgpu' factory (only when navigator.gpu exists) and its kernels.
    createRequire(backendEntry)(backendEntry);
  } catch (e) {
    const why = errorMessage(e);
    return fail(
      `${TFJS_WEBGPU_PACKAGE} (${backendEntry}) failed to load: ${why}. Fix: ${INSTALL_FIX}.`,
      `webgpu: ${TFJS_WEBGPU_PACKAGE} failed to load: ${why}`,
    );
  }
  if (tf.findBackendFactory('webgpu') == null)
    return fail(
      `${TFJS_WEBGPU_PACKAGE} loaded but its 'webgpu' backend is not visible to this trainer's @tensorflow/tfjs-core (a separate engine; or it was loaded before navigator.gpu existed, or removed by an earlier failed attempt in this process). Fix: install it next to the trainer, matching tfjs-core ${tf.version_core}.`,
      `webgpu: ${TFJS_WEBGPU_PACKAGE} registered no backend in this trainer's engine`,
    );
  let ok = false;
  try {
    ok = await tf.setBackend('webgpu');
    await tf.ready();
  } catch (e) {
    const why = errorMessage(e);
    return fail(
      `the webgpu backend failed to initialise on ${device}: ${why}. Fix: ${DRIVER_FIX}.`,
      `webgpu: backend failed to initialise on ${device}: ${why}`,
    );
  }
  if (!ok || tf.getBackend() !== 'webgpu')
    return fail(
      `the webgpu backend failed to initialise on ${device}. Fix: ${DRIVER_FIX}.`,
      `webgpu: backend failed to initialise on ${device}`,
    );
  try {
    readBackSynchronously();
  } catch (e) {
    const why = errorMessage(e);
    return fail(
      `the webgpu backend runs on ${device}, but cannot read a tensor back synchronously in Node (${why}: ${TFJS_WEBGPU_PACKAGE} reads through OffscreenCanvas, which only browsers have), and the trainer reads losses and gradient norms with dataSync(). Choose backend 'wasm', 'tensorflow' or 'cpu'.`,
      `webgpu: ${device} found, but ${TFJS_WEBGPU_PACKAGE} cannot read tensors synchronously in Node (${why})`,
    );
  }
  return { backend: 'webgpu', device, notes };
}
