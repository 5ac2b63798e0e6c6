// The native BLAS addon for the tests that run it: loaded once, with the reason to skip
// where it is not built (CI sets SOLAR_EXPECT_NATIVE_BLAS=1, and wasmBlasMatMul.test.ts
// fails instead), and wasm set up the way selectBackend sets it up.
import { loadNativeBlas } from '../../trainer/backend/nativeBlas';
import { registerWasmKernelOverrides, useNativeBlas } from '../../trainer/backend/wasmKernels';

export const nativeBlas = loadNativeBlas();

/** For node:test's `skip`: false where the addon loaded, else why not. */
export const nativeSkip: string | false = nativeBlas.ok ? false : `native BLAS unavailable: ${nativeBlas.reason}`;

/** Our wasm kernel overrides, with the addon's products and fused kernels where it loaded. */
export function useWasmWithNative(): void {
  registerWasmKernelOverrides();
  useNativeBlas(nativeBlas.ok ? nativeBlas.blas : null);
}
