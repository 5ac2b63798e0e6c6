// The packaged extension's size (`npm run package` builds solar-studio.vsix): a figure for
// `npm run bench`. Packs it afresh; returns bytes and the file count.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
export const VSIX = path.join(ROOT, 'solar-studio.vsix');

export function vsixSize(): { bytes: number; files: number } {
  // Always repack: a stale .vsix from an older build would report the wrong size.
  const r = spawnSync('npm', ['run', 'package'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stderr}`);
  const bytes = fs.statSync(VSIX).size;
  // A .vsix is a zip: count central-directory entries (signature PK\x01\x02).
  const buf = fs.readFileSync(VSIX);
  let files = 0;
  for (let i = buf.indexOf('PK\x01\x02'); i >= 0; i = buf.indexOf('PK\x01\x02', i + 4)) files++;
  return { bytes, files };
}

if (require.main === module) {
  const { bytes, files } = vsixSize();
  process.stdout.write(
    `vsix: ${(bytes / 1024 / 1024).toFixed(2)} MB, ${files} entries (${path.relative(ROOT, VSIX)})\n`,
  );
}
