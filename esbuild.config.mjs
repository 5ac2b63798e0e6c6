// One esbuild config, three bundles (house rule):
//   dist/trainer.js    the headless trainer + CLI (node, cjs). tfjs-core and the cpu/wasm
//                      backends are bundled (tfjs-core keeps its engine on a global, so the
//                      optional native tfjs-node, loaded from node_modules, joins the same
//                      engine); the wasm binaries are copied next to the bundle, where the
//                      wasm backend looks for them, and so is the native addon's build.
//   dist/extension.js  the VS Code extension host (cjs, `vscode` external)
//   dist/webview.js    browser code for the panels (iife, no inline scripts)

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'es2022' };

// zod re-exports all ~50 of its error-message translations as `z.locales`, which pulls
// every one into a bundle (258 KB of the webview's 542 KB, measured with esbuild's
// metafile); we only ever use English, which zod configures itself from its own en.js.
// This swaps zod's locales index for one that exports English alone; validation and its
// messages are unchanged.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /locales[\\/]index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`)
        ? { path: path.join(path.dirname(args.importer), args.path), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

const builds = [
  {
    ...common,
    entryPoints: ['trainer/cli/main.ts'],
    outfile: 'dist/trainer.js',
    platform: 'node',
    format: 'cjs',
    // Optional packages, loaded from node_modules at run time when present: the native tfjs-node
    // builds, and Dawn's webgpu binding with the tfjs backend that runs on it (webgpuBackend.ts).
    external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'webgpu', '@tensorflow/tfjs-backend-webgpu'],
    define: { 'process.env.SOLAR_VERSION': JSON.stringify(pkg.version) },
  },
  // Minified: the extension host loads this on activation, so size is start-up time.
  {
    ...common,
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    minify: true,
    plugins: [zodEnglishOnly],
  },
  // Minified: zod (validating host messages) is most of it.
  {
    ...common,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    minify: true,
    plugins: [zodEnglishOnly],
  },
];

const wasmDir = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
mkdirSync('dist', { recursive: true });
for (const f of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm'))) copyFileSync(`${wasmDir}/${f}`, `dist/${f}`);
// The native addon's build (when npm ci built it), next to the trainer bundle too: the
// packaged extension has no node_modules, and the trainer looks there (nativeBlas.ts).
const addon = 'native/blas/build/Release/solarBlas.node';
if (existsSync(addon)) copyFileSync(addon, 'dist/solarBlas.node');

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
