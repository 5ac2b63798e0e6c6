// Loading the native BLAS (trainer/backend/nativeBlas.ts): each way it can be missing
// gives a reason that says what was tried and how to fix it, never a silent fallback.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { blasCandidates, loadNativeBlas, openNativeBlas, shortConfig } from '../../../trainer/backend/nativeBlas';
import { tempDir } from '../../helpers/helpers';

/** A stand-in addon: `open` as given, every other entry point a no-op. */
function fakeAddon(open: (library: string) => { path: string; config: string }): Record<string, unknown> {
  const names = ['matmul', 'setThreads', 'adamw', 'swiglu', 'swigluGrad', 'softmaxGrad', 'rmsnorm', 'maskedSoftmax'];
  const addon: Record<string, unknown> = { open };
  for (const name of [...names, 'rmsnormGrad', 'attention', 'ropeHeads']) addon[name] = () => {};
  return addon;
}

test('SOLAR_BLAS_LIBRARY is tried before the system libraries', () => {
  const list = blasCandidates({ SOLAR_BLAS_LIBRARY: '/opt/mkl/libmkl_rt.so' });
  assert.equal(list[0], '/opt/mkl/libmkl_rt.so');
  assert.ok(list.length > 1);
  assert.ok(!blasCandidates({ SOLAR_BLAS_LIBRARY: '  ' }).includes('  '));
});

test('SOLAR_NATIVE_BLAS=0 switches the native BLAS off, with that reason', () => {
  const r = loadNativeBlas({ SOLAR_NATIVE_BLAS: '0' });
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /SOLAR_NATIVE_BLAS=0/);
});

test('an addon that was not built: the reason names it and the rebuild command', () => {
  const r = openNativeBlas({}, () => {
    throw Object.assign(new Error("Cannot find module '@solar-studio/blas'\nRequire stack: x"), {
      code: 'MODULE_NOT_FOUND',
    });
  });
  assert.equal(r.ok, false);
  const reason = r.ok ? '' : r.reason;
  assert.match(reason, /addon not built \(Cannot find module '@solar-studio\/blas'\)/);
  assert.match(reason, /npm rebuild @solar-studio\/blas/);
  assert.doesNotMatch(reason, /Require stack/);
});

test('the packaged extension: with no package, the build next to the bundle is used', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'solarBlas.node'), ''); // only its existence is read here
  const addon = fakeAddon((library) => ({ path: library, config: 'OpenBLAS 0.3.21 Haswell' }));
  const loaded: string[] = [];
  const r = openNativeBlas(
    {},
    (name) => {
      loaded.push(name);
      if (name === '@solar-studio/blas') throw new Error("Cannot find module '@solar-studio/blas'");
      return addon;
    },
    dir,
  );
  assert.ok(r.ok, r.ok ? '' : r.reason);
  assert.deepEqual(loaded, ['@solar-studio/blas', path.join(dir, 'solarBlas.node')]);
  // No package and no bundled build: the package's reason.
  const none = openNativeBlas(
    {},
    () => {
      throw new Error("Cannot find module '@solar-studio/blas'");
    },
    tempDir(),
  );
  assert.match(none.ok ? '' : none.reason, /addon not built/);
});

test('no library with cblas_sgemm: every library tried is named with its error', () => {
  const tried: string[] = [];
  const addon = fakeAddon((library) => {
    tried.push(library);
    throw new Error(`${library}: cannot open shared object file`);
  });
  const r = openNativeBlas({ SOLAR_BLAS_LIBRARY: '/x/libblas.so' }, () => addon);
  assert.equal(r.ok, false);
  assert.deepEqual(tried, blasCandidates({ SOLAR_BLAS_LIBRARY: '/x/libblas.so' }));
  const reason = r.ok ? '' : r.reason;
  for (const library of tried) assert.ok(reason.includes(`${library}: cannot open`), reason);
  assert.match(reason, /libopenblas0-pthread/);
});

test('the first library that opens is used and described', () => {
  const second = blasCandidates({})[1];
  const addon = fakeAddon((library) => {
    if (library !== second) throw new Error('no');
    return { path: library, config: 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH Haswell MAX_THREADS=64' };
  });
  const r = openNativeBlas({ SOLAR_BLAS_THREADS: '2' }, () => addon);
  assert.ok(r.ok);
  assert.equal(r.blas.describe, `OpenBLAS 0.3.21 Haswell (${second}), 2 threads`);
});

test('a build of the addon older than the code: the reason names what it lacks and how to rebuild', () => {
  const addon = fakeAddon((library) => ({ path: library, config: 'OpenBLAS' }));
  delete addon.attention;
  const r = openNativeBlas({}, () => addon);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /out of date \(it lacks attention\).*npm rebuild @solar-studio\/blas/);
});

test('the BLAS build string keeps the name, version and core, not the build flags', () => {
  assert.equal(
    shortConfig('OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64'),
    'OpenBLAS 0.3.21 Cooperlake',
  );
  assert.equal(shortConfig('unknown BLAS'), 'unknown BLAS');
});
