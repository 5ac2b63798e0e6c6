// Runs one tier of the node:test suites (Node 20's `--test` takes no globs):
//   node test/runTests.mjs unit         test/**/*.test.ts except *.int.test.ts (fast, in-process)
//   node test/runTests.mjs integration  test/**/*.int.test.ts (real processes, real runs on disk)
// Extra arguments go to `node --test` (e.g. --test-name-pattern=resume).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const TIERS = {
  unit: (f) => f.endsWith('.test.ts') && !f.endsWith('.int.test.ts'),
  integration: (f) => f.endsWith('.int.test.ts'),
};
const [tier, ...extra] = process.argv.slice(2);
if (!TIERS[tier]) {
  console.error(`usage: node test/runTests.mjs ${Object.keys(TIERS).join('|')} [node --test options]`);
  process.exit(2);
}
const root = path.dirname(new URL(import.meta.url).pathname);
const walk = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'e2e' || e.name === 'fixtures' ? [] : walk(p);
    return TIERS[tier](e.name) ? [path.relative(process.cwd(), p)] : [];
  });
const files = walk(root).sort();
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...extra, ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
