/**
 * Picks and initialises the TensorFlow.js backend for training.
 *
 * auto: tfjs-node-gpu ('tensorflow' on CUDA) -> tfjs-node ('tensorflow' on
 * libtensorflow CPU) -> webgpu (Dawn, webgpuBackend.ts) -> wasm (with our kernel
 * overrides) -> cpu (plain JS).
 *
 * tfjs-node / tfjs-node-gpu are optional dependencies (their install downloads
 * libtensorflow and may fail, e.g. offline), so they are loaded at run time
 * through require.resolve: a missing package is an ordinary caught error, and
 * `extraModulePaths` lets the VS Code extension point at the node_modules it
 * installed tfjs-node-gpu into (its global storage).
 *
 * Two copies of tfjs-core: tfjs-node depends on @tensorflow/tfjs, which brings
 * its own @tensorflow/tfjs-core. When that resolves to a different file than
 * ours (extension global storage, or our code bundled by esbuild), there are
 * two tfjs-core module instances in the process. tfjs-core keeps its engine,
 * kernel registry, gradient registry and Tensor class on the global object
 * (globalThis._tfengine, 'kernelRegistry', ...), so both copies share one
 * engine and the 'tensorflow' backend registered by tfjs-node IS visible to
 * our `import * as tf from '@tensorflow/tfjs-core'`. What can still differ is
 * the version (the engine is created by whichever copy loads first); we check
 * that the backend is visible from our copy, and add a note when the versions
 * differ. The cleanest install is tfjs-node(-gpu) deduped next to our
 * tfjs-core (same major/minor, one copy).
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Backend, BackendChoice } from '../../protocol/runConfig';
import { BackendLoadError, errorMessage } from './backendLoadError';
import { localRequire } from './localRequire';
import { loadNativeBlas } from './nativeBlas';
import { registerWasmKernelOverrides, useNativeBlas } from './wasmKernels';
import { loadWebgpuBackend } from './webgpuBackend';

export interface BackendInfo {
  backend: Backend;
  /** e.g. 'CUDA GPU', 'CPU (libtensorflow)', 'CPU (wasm SIMD, 1 thread)', 'CPU (JavaScript)' */
  device: string;
  /** Why other backends were skipped, and caveats about the chosen one. */
  notes: string[];
}

export interface SelectBackendOptions {
  /**
   * Extra folders to search for tfjs-node(-gpu): node_modules folders or
   * folders containing one (require.resolve `paths` semantics). Searched
   * after the normal resolution from this module.
   */
  extraModulePaths?: string[];
}

type NodePackage = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

function shortReason(e: unknown): string {
  return e instanceof BackendLoadError ? e.short : errorMessage(e);
}

/** The little of NodeJSKernelBackend (tfjs-node) we read. */
interface NodeKernelBackendView {
  isGPUPackage?: boolean;
  isUsingGpuDevice?: boolean;
}

function isModuleNotFound(e: unknown, name: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' && e instanceof Error && e.message.includes(name);
}

/** Absolute path of `name`'s entry point, or null when it is not installed anywhere we look. */
function resolvePackage(name: string, extraPaths: readonly string[]): string | null {
  const req = localRequire();
  try {
    return req.resolve(name);
  } catch (e) {
    if (!isModuleNotFound(e, name)) throw e;
  }
  for (const p of extraPaths) {
    try {
      return req.resolve(name, { paths: [p] });
    } catch (e) {
      if (!isModuleNotFound(e, name)) throw e;
    }
  }
  return null;
}

/** The package folder (the one holding package.json) above a resolved entry file. */
function packageRoot(entry: string, name: string): string {
  const marker = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  const i = entry.lastIndexOf(marker);
  return i >= 0 ? entry.slice(0, i + marker.length - 1) : path.dirname(path.dirname(entry));
}

/** Version of the tfjs-core that `pkgRoot` would load, when it can be found. */
function tfjsCoreVersionSeenFrom(pkgRoot: string): string | null {
  try {
    const req = localRequire();
    const pj = req.resolve('@tensorflow/tfjs-core/package.json', { paths: [pkgRoot] });
    const parsed: unknown = req(pj);
    const v = (parsed as { version?: unknown }).version;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

function installHint(name: NodePackage): string {
  const gpu = name === '@tensorflow/tfjs-node-gpu';
  return (
    `npm install ${name}` +
    (gpu ? ' (Linux x64 with an NVIDIA GPU, CUDA 11.2 and cuDNN 8.1)' : '') +
    '; if it is installed but fails to load, run `npm rebuild ' +
    name +
    '` (the native addon is built for a specific Node version)'
  );
}

/**
 * Loads tfjs-node(-gpu), which registers the 'tensorflow' backend, and makes
 * it current. Throws an Error saying what failed and how to fix it.
 */
async function loadNodeBackend(
  name: NodePackage,
  extraPaths: readonly string[],
  notes: string[],
): Promise<BackendInfo> {
  let entry: string | null;
  try {
    entry = resolvePackage(name, extraPaths);
  } catch (e) {
    const why = errorMessage(e);
    throw new BackendLoadError(
      `${name} cannot be resolved (${why}). Fix: ${installHint(name)}.`,
      `${name} cannot be resolved: ${why}`,
    );
  }
  if (entry === null) {
    const where = extraPaths.length > 0 ? ` (also searched ${extraPaths.join(', ')})` : '';
    throw new BackendLoadError(`${name} is not installed${where}. Fix: ${installHint(name)}.`, `${name} not installed`);
  }
  try {
    localRequire()(entry);
  } catch (e) {
    const why = errorMessage(e);
    throw new BackendLoadError(
      `${name} is installed at ${packageRoot(entry, name)} but failed to load: ${why}. Fix: ${installHint(name)}.`,
      `${name} failed to load: ${why}`,
    );
  }

  const theirCore = tfjsCoreVersionSeenFrom(packageRoot(entry, name));
  if (theirCore !== null && theirCore !== tf.version_core) {
    notes.push(
      `${name} uses tfjs-core ${theirCore}, this trainer ${tf.version_core}; they share one engine, but install matching versions if ops misbehave`,
    );
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    // Only possible if the two tfjs-core copies do not share globalThis.
    throw new BackendLoadError(
      `${name} loaded but its 'tensorflow' backend is not visible to this trainer's @tensorflow/tfjs-core ` +
        `(a separate engine). Fix: install ${name} next to the trainer so both use one @tensorflow/tfjs-core.`,
      `${name} registered its backend in a separate tfjs engine`,
    );
  }
  let ok = false;
  try {
    ok = await tf.setBackend('tensorflow');
    await tf.ready();
  } catch (e) {
    const why = errorMessage(e);
    throw new BackendLoadError(
      `${name} loaded but the 'tensorflow' backend failed to initialise: ${why}. Fix: ${installHint(name)}.`,
      `${name}: backend failed to initialise: ${why}`,
    );
  }
  if (!ok || tf.getBackend() !== 'tensorflow') {
    throw new BackendLoadError(
      `${name} loaded but the 'tensorflow' backend failed to initialise. Fix: ${installHint(name)}.`,
      `${name}: backend failed to initialise`,
    );
  }

  // tfjs-node-gpu silently runs on the CPU when CUDA/cuDNN cannot be loaded.
  const view = tf.backend() as unknown as NodeKernelBackendView; // narrow read of two flags
  let device: string;
  if (view.isUsingGpuDevice === true) {
    device = 'CUDA GPU';
  } else if (name === '@tensorflow/tfjs-node-gpu') {
    device = 'CPU (libtensorflow)';
    notes.push(`${name} found no usable CUDA device (check the CUDA 11.2 / cuDNN 8.1 libraries); running on CPU`);
  } else {
    device = 'CPU (libtensorflow)';
  }
  return { backend: 'tensorflow', device, notes };
}

async function loadWasmBackend(notes: string[]): Promise<BackendInfo> {
  let getThreadsCount: () => number;
  try {
    // Registers the 'wasm' backend factory and all its kernels.
    const wasmModule = await import('@tensorflow/tfjs-backend-wasm');
    getThreadsCount = wasmModule.getThreadsCount;
  } catch (e) {
    const why = errorMessage(e);
    throw new BackendLoadError(
      `@tensorflow/tfjs-backend-wasm failed to load: ${why}. Fix: npm install @tensorflow/tfjs-backend-wasm.`,
      `wasm failed to load: ${why}`,
    );
  }
  // Before setBackend so the overrides' setup runs with the backend's; it is
  // also fine after (see wasmKernels.ts).
  registerWasmKernelOverrides();
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
    await tf.ready();
  } catch (e) {
    const why = errorMessage(e);
    throw new BackendLoadError(`the wasm backend failed to initialise: ${why}`, `wasm failed to initialise: ${why}`);
  }
  if (!ok || tf.getBackend() !== 'wasm') {
    throw new BackendLoadError(
      'the wasm backend failed to initialise (the .wasm binaries in @tensorflow/tfjs-backend-wasm/dist may be missing, e.g. not copied next to a bundle)',
      'wasm failed to initialise',
    );
  }
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const mt = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  // The flag says what the runtime could do; the threads count what XNNPACK uses.
  const threads = mt ? Math.max(1, getThreadsCount()) : 1;
  // The matmuls (most of a step) go to the machine's BLAS when the addon is built.
  const blas = loadNativeBlas();
  useNativeBlas(blas.ok ? blas.blas : null);
  if (!blas.ok) notes.push(blas.reason);
  const matmuls = blas.ok ? `; matmuls: ${blas.blas.describe}` : '';
  const device = `CPU (wasm${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}${matmuls})`;
  return { backend: 'wasm', device, notes };
}

async function loadCpuBackend(notes: string[]): Promise<BackendInfo> {
  try {
    await import('@tensorflow/tfjs-backend-cpu');
  } catch (e) {
    throw new Error(
      `@tensorflow/tfjs-backend-cpu failed to load: ${errorMessage(e)}. Fix: npm install @tensorflow/tfjs-backend-cpu.`,
    );
  }
  const ok = await tf.setBackend('cpu');
  await tf.ready();
  if (!ok || tf.getBackend() !== 'cpu') throw new Error('the cpu backend failed to initialise');
  // The cpu backend prints a banner on first use recommending tfjs-node; our log and
  // status.json already say which backend runs and why, so the banner is switched off.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { backend: 'cpu', device: 'CPU (JavaScript)', notes };
}

/**
 * Loads and activates a backend. An explicit choice that cannot be loaded
 * throws an Error with the reason and the fix; 'auto' falls through the list
 * and records why each faster option was skipped in `notes`.
 */
export async function selectBackend(choice: BackendChoice, opts: SelectBackendOptions = {}): Promise<BackendInfo> {
  const extra = (opts.extraModulePaths ?? []).filter((p) => p.length > 0);
  const notes: string[] = [];
  switch (choice) {
    case 'tensorflow': {
      // GPU package first, then the CPU build; fail with both reasons.
      const reasons: string[] = [];
      for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const) {
        try {
          return await loadNodeBackend(name, extra, notes);
        } catch (e) {
          reasons.push(shortReason(e));
        }
      }
      const where = extra.length > 0 ? ` (searched the default resolution and ${extra.join(', ')})` : '';
      throw new Error(
        `backend 'tensorflow' is not available${where}: ${reasons.join('; ')}. ` +
          `Fix: npm install @tensorflow/tfjs-node-gpu (Linux x64, NVIDIA GPU with CUDA 11.2 and cuDNN 8.1) ` +
          `or npm install @tensorflow/tfjs-node (CPU); if one is installed but fails to load, npm rebuild it ` +
          `(its native addon is built per Node version). Or choose backend 'wasm' or 'cpu'.`,
      );
    }
    case 'webgpu':
      try {
        // Explicit: a software adapter is taken too (with a note).
        return await loadWebgpuBackend(notes, { resolve: (n) => resolvePackage(n, extra), allowFallbackAdapter: true });
      } catch (e) {
        throw new Error(
          `backend 'webgpu' is not available: ${e instanceof Error ? e.message : String(e)} Or choose backend 'auto', 'wasm' or 'cpu'.`,
        );
      }
    case 'wasm':
      return loadWasmBackend(notes);
    case 'cpu':
      return loadCpuBackend(notes);
    case 'auto': {
      for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const) {
        try {
          return await loadNodeBackend(name, extra, notes);
        } catch (e) {
          notes.push(shortReason(e));
        }
      }
      try {
        return await loadWebgpuBackend(notes, { resolve: (n) => resolvePackage(n, extra) });
      } catch (e) {
        notes.push(shortReason(e));
      }
      try {
        return await loadWasmBackend(notes);
      } catch (e) {
        notes.push(shortReason(e));
      }
      return loadCpuBackend(notes);
    }
    default: {
      const never: never = choice;
      throw new Error(`unknown backend choice '${String(never)}' (expected auto, tensorflow, webgpu, wasm or cpu)`);
    }
  }
}
