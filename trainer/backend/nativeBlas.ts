// The optional native matmul for the wasm backend: the addon in native/blas (built by
// `npm ci` with node-gyp) calling the machine's BLAS (OpenBLAS) on the wasm heap itself.
// When the addon was not built or no BLAS library opens, the trainer keeps wasm's own
// matmul and says why in its backend notes: never silently.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorMessage } from './backendLoadError';
import { localRequire } from './localRequire';

/** The addon's API (native/blas/solarBlas.c). */
interface BlasAddon {
  open(library: string): { path: string; config: string };
  matmul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    strideA: number,
    strideB: number,
  ): void;
  setThreads(n: number): void;
  adamw(
    p: Float32Array,
    m: Float32Array,
    v: Float32Array,
    g: Float32Array,
    pOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    beta1: number,
    beta2: number,
    eps: number,
    lr: number,
    decay: number,
    bc1: number,
    bc2: number,
    clipScale: number,
  ): void;
  swiglu(gate: Float32Array, up: Float32Array, out: Float32Array): void;
  swigluGrad(dy: Float32Array, gate: Float32Array, up: Float32Array, dGate: Float32Array, dUp: Float32Array): void;
  softmaxGrad(dy: Float32Array, y: Float32Array, dx: Float32Array, rowLength: number): void;
  rmsnorm(x: Float32Array, w: Float32Array, y: Float32Array, rstd: Float32Array, eps: number): void;
  maskedSoftmax(x: Float32Array, mask: Float32Array, y: Float32Array, L: number, S: number, heads: number): void;
  rmsnormGrad(
    dy: Float32Array,
    x: Float32Array,
    w: Float32Array,
    rstd: Float32Array,
    dx: Float32Array,
    dw: Float32Array,
  ): void;
  attention(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    mask: Float32Array,
    out: Float32Array,
    B: number,
    H: number,
    KV: number,
    S: number,
    L: number,
    hd: number,
    maskSlices: number,
  ): void;
  ropeHeads(
    x: Float32Array,
    cos: Float32Array,
    sin: Float32Array,
    out: Float32Array,
    B: number,
    S: number,
    H: number,
    hd: number,
    tableRows: number,
    scale: number,
    backward: boolean,
    rowStride: number,
    colOffset: number,
    rotate: boolean,
  ): void;
}

export interface NativeBlas {
  /**
   * c[i] = op(a[i]) @ op(b[i]) for i < batch, op = transpose when asked. a's slices are
   * [M, K] ([K, M] transposed) strideA elements apart, b's [K, N] ([N, K]) strideB apart
   * (a stride of 0 repeats one slice); c is [batch, M, N] and is overwritten.
   */
  matmul: BlasAddon['matmul'];
  /** Threads each product is split across (1 to 64), for the whole process. */
  setThreads: BlasAddon['setThreads'];
  /** One AdamW update on equal-length arrays, on the same threads (wasmAdamW.ts has the formula). */
  adamw: BlasAddon['adamw'];
  /** out = silu(gate) * up, and its gradient (dGate, dUp from dy); equal-length arrays. */
  swiglu: BlasAddon['swiglu'];
  swigluGrad: BlasAddon['swigluGrad'];
  /** dx = y * (dy - sum(dy * y)) per row of rowLength: the gradient of a last-axis softmax y. */
  softmaxGrad: BlasAddon['softmaxGrad'];
  /** y = softmax(x + mask) over rows of L; x [B, heads, S, L], mask [1 or B, 1, S, L]. */
  maskedSoftmax: BlasAddon['maskedSoftmax'];
  /** RMSNorm over rows of w's length (rstd: one per row) and its gradient, dw summed over rows. */
  rmsnorm: BlasAddon['rmsnorm'];
  rmsnormGrad: BlasAddon['rmsnormGrad'];
  /**
   * out = softmax(q k^T + mask) v per head: q, out [B, H, S, hd]; k, v [B, KV, L, hd] (head h
   * reads h / (H / KV)); mask [1 or B, 1, S, L], keys below -1e8 skipped (decoding).
   */
  attention: BlasAddon['attention'];
  /**
   * Rotary positions into heads: columns colOffset.. of x [B*S, rowStride], as [B, S, H, hd]
   * -> [B, H, S, hd] = scale * (x cos + rotate_half(x) sin) (rotate false: scale * x),
   * cos, sin [tableRows, S, hd]; backward: dy [B, H, S, hd] -> those columns of dx.
   */
  ropeHeads: BlasAddon['ropeHeads'];
  /** What runs the products, for the log: library, its build, threads. */
  describe: string;
}

export type NativeBlasResult = { ok: true; blas: NativeBlas } | { ok: false; reason: string };

const ADDON = '@solar-studio/blas';
/**
 * The addon's build copied next to the trainer bundle (esbuild.config.mjs), for the
 * packaged extension, which ships no node_modules. Tried when the package is not found.
 */
const BUNDLED = 'solarBlas.node';

/** Libraries tried in order; SOLAR_BLAS_LIBRARY (a path or soname) goes first. */
export function blasCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const own = env.SOLAR_BLAS_LIBRARY?.trim();
  const system =
    process.platform === 'darwin'
      ? ['/System/Library/Frameworks/Accelerate.framework/Accelerate', 'libopenblas.dylib']
      : ['libopenblas.so.0', 'libopenblas.so', 'libblas.so.3'];
  return own ? [own, ...system] : system;
}

/** "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH Cooperlake MAX_THREADS=64" -> "OpenBLAS 0.3.21 Cooperlake". */
export function shortConfig(config: string): string {
  const words = config.split(/\s+/).filter((w) => w.length > 0);
  return [...words.slice(0, 2), ...words.slice(2).filter((w) => !/^[A-Z0-9_]+(=.*)?$/.test(w))].join(' ');
}

let cached: NativeBlasResult | undefined;

/**
 * The addon with the first BLAS library that has cblas_sgemm, or why not. Cached per
 * process: the addon holds one library. SOLAR_NATIVE_BLAS=0 switches it off (to compare
 * with wasm's own matmul, or to rule it out).
 */
export function loadNativeBlas(env: NodeJS.ProcessEnv = process.env): NativeBlasResult {
  if (env.SOLAR_NATIVE_BLAS === '0') return { ok: false, reason: 'native BLAS off (SOLAR_NATIVE_BLAS=0)' };
  cached ??= openNativeBlas(env);
  return cached;
}

/**
 * loadNativeBlas without the cache and the switch; `load` is require and `bundleDir` the
 * bundle's folder (dist/ in the packaged extension) unless a test says otherwise.
 */
export function openNativeBlas(
  env: NodeJS.ProcessEnv,
  load: (name: string) => unknown = (name) => localRequire()(name),
  bundleDir = __dirname,
): NativeBlasResult {
  let addon: BlasAddon;
  try {
    // A variable name keeps esbuild from bundling the .node file.
    addon = load(ADDON) as BlasAddon;
  } catch (e) {
    const bundled = bundledAddon(load, bundleDir);
    if (bundled !== null) return openLibrary(bundled, env);
    return {
      ok: false,
      reason:
        `native BLAS addon not built (${errorMessage(e)}); matmuls stay on wasm. ` +
        'Fix: install a C compiler, make and python3, then npm rebuild @solar-studio/blas',
    };
  }
  return openLibrary(addon, env);
}

/** The copy next to the bundle (dist/solarBlas.node), or null where there is none. */
function bundledAddon(load: (name: string) => unknown, dir: string): BlasAddon | null {
  const file = path.join(dir, BUNDLED);
  if (!fs.existsSync(file)) return null;
  try {
    return load(file) as BlasAddon;
  } catch {
    return null; // another platform's build: the package's reason stands
  }
}

/** What every build of the addon this code calls must have (an older build lacks some). */
const ENTRY_POINTS = [
  'open',
  'matmul',
  'setThreads',
  'adamw',
  'swiglu',
  'swigluGrad',
  'softmaxGrad',
  'rmsnorm',
  'maskedSoftmax',
  'rmsnormGrad',
  'attention',
  'ropeHeads',
] as const satisfies readonly (keyof BlasAddon)[];

/** `addon` with the first BLAS library that opens, or every library's error. */
function openLibrary(addon: BlasAddon, env: NodeJS.ProcessEnv): NativeBlasResult {
  const missing = ENTRY_POINTS.filter((name) => typeof addon[name] !== 'function');
  if (missing.length) {
    return {
      ok: false,
      reason:
        `the native BLAS addon's build is out of date (it lacks ${missing.join(', ')}); matmuls stay on wasm. ` +
        'Fix: npm rebuild @solar-studio/blas, then npm run build',
    };
  }
  const failures: string[] = [];
  for (const library of blasCandidates(env)) {
    try {
      const opened = addon.open(library);
      // Threads each product is split across: the cores Node may use, or SOLAR_BLAS_THREADS.
      const wanted = Number(env.SOLAR_BLAS_THREADS ?? os.availableParallelism());
      const threads = Number.isInteger(wanted) && wanted >= 1 ? Math.min(64, wanted) : 1;
      addon.setThreads(threads);
      return {
        ok: true,
        blas: {
          matmul: addon.matmul,
          setThreads: addon.setThreads,
          adamw: addon.adamw,
          swiglu: addon.swiglu,
          swigluGrad: addon.swigluGrad,
          softmaxGrad: addon.softmaxGrad,
          rmsnorm: addon.rmsnorm,
          maskedSoftmax: addon.maskedSoftmax,
          rmsnormGrad: addon.rmsnormGrad,
          attention: addon.attention,
          ropeHeads: addon.ropeHeads,
          describe: `${shortConfig(opened.config)} (${opened.path}), ${threads} thread${threads === 1 ? '' : 's'}`,
        },
      };
    } catch (e) {
      failures.push(errorMessage(e));
    }
  }
  return {
    ok: false,
    reason:
      `no BLAS library found (${failures.join('; ')}); matmuls stay on wasm. ` +
      'Fix: apt install libopenblas0-pthread, or set SOLAR_BLAS_LIBRARY to a library with cblas_sgemm',
  };
}
