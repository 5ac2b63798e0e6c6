// `npm run bench`: what dist/webview.js is made of. The webview bundle built as
// esbuild.config.mjs builds it (browser iife, minified), with a metafile: the minified
// bytes each part contributes, by npm package and by source folder, and the whole bundle
// gzipped (about what a webview loads from disk is the plain size; gzip says how much is
// repetition). Figures, not assertions.
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '..');

export interface BundlePart {
  part: string;
  bytes: number;
}

/** The bundle's size and its parts, largest first. */
export async function webviewBundle(): Promise<{ bytes: number; gzip: number; parts: BundlePart[] }> {
  const r = await esbuild.build({
    entryPoints: [path.join(ROOT, 'webview', 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    outfile: path.join(ROOT, 'dist', 'webview.js'),
    logLevel: 'silent',
  });
  const out = r.outputFiles.find((f) => f.path.endsWith('.js'))!;
  const [meta] = Object.values(r.metafile.outputs).filter((o) => o.entryPoint);
  const byPart = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
    byPart.set(partOf(input), (byPart.get(partOf(input)) ?? 0) + bytesInOutput);
  }
  const parts = [...byPart].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { bytes: out.contents.length, gzip: gzipSync(out.contents).length, parts };
}

/** `zod (v4 core)`, `zod (v4 classic)`, `webview/panel`, `protocol`…: what an input file belongs to. */
function partOf(input: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(input);
  if (nm) {
    const [, pkg, rest] = nm;
    // zod 4 is two layers: the core (checks, parsing) and the classic API (z.object…), plus locales.
    const sub = pkg === 'zod' ? /^v4\/(core|classic|locales|mini)\//.exec(rest)?.[1] : undefined;
    return sub ? `${pkg} (v4 ${sub})` : pkg;
  }
  const dir = path.dirname(input);
  return dir === '.' ? input : dir;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function printWebviewBundle(): Promise<void> {
  const { bytes, gzip, parts } = await webviewBundle();
  console.log(`webview     dist/webview.js ${kb(bytes)} minified, ${kb(gzip)} gzipped; minified bytes by part:`);
  const total = parts.reduce((n, p) => n + p.bytes, 0);
  for (const p of parts) {
    console.log(
      `webview       ${p.part.padEnd(26)} ${kb(p.bytes).padStart(9)}  ${((p.bytes / total) * 100).toFixed(0).padStart(3)}%`,
    );
  }
}

if (require.main === module) {
  printWebviewBundle().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
