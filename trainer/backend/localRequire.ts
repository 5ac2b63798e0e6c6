// How the trainer loads optional packages at run time (tfjs-node, the native BLAS addon).
import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * A require usable from both module systems: tsx runs our .ts as CommonJS
 * (package.json has no "type": "module") and the esbuild bundle is CJS, so a
 * module-scoped `require` exists and resolves from this file (or the bundle).
 * A true ESM build has none; it falls back to resolving from the entry script
 * (import.meta is avoided: esbuild empties it in CJS output, with a warning).
 * Package names are passed as variables so bundlers leave the optional native
 * packages alone.
 */
export function localRequire(): NodeJS.Require {
  if (typeof require === 'function') return require;
  return createRequire(process.argv[1] ? path.resolve(process.argv[1]) : path.join(process.cwd(), 'index.js'));
}
