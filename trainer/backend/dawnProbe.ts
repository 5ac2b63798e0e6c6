// Asks Dawn (the `webgpu` package) for a GPU adapter in a short-lived child Node, before the
// trainer creates a Dawn instance of its own. Why a child: when Dawn finds no adapter, the
// reason (e.g. "Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file")
// is printed by the native code straight to file descriptor 2, where JavaScript cannot
// catch it; the child's stderr can be read and put in the trainer's note. It also keeps
// a CPU-only machine's trainer free of Dawn's threads and of that stray warning, and a
// requestAdapter that never settles costs a killed child, not a stuck trainer.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export type DawnProbe =
  | { found: true }
  /** `dawnSaid`: Dawn's own words from the child's stderr, '' when it printed none. */
  | { found: false; why: 'no-adapter' | 'timeout' | 'error'; detail: string; dawnSaid: string };

// ESM (the webgpu package is "type": "module"); argv[1] is [entry URL, Dawn options].
// process.exit: a live Dawn instance keeps Node running (the package's README, "Lifetime").
const PROBE_SCRIPT = `
const [url, options] = JSON.parse(process.argv[1]);
let answer;
try {
  const { create } = await import(url);
  const adapter = await create(options).requestAdapter({ powerPreference: 'high-performance' });
  answer = { found: adapter != null };
} catch (e) {
  answer = { error: String(e && e.message ? e.message : e) };
}
process.stdout.write(JSON.stringify(answer));
process.exit(0);
`;

/** Longest stretch of Dawn's stderr kept in a note, in characters. */
const MAX_SAID = 300;

/**
 * Dawn's messages without their native source locations: it prints
 * "Warning: Couldn't load Vulkan: ...\n    at operator() (.../BackendVk.cpp:368)".
 */
export function dawnWords(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('at '));
  const said = lines.join(' ');
  return said.length > MAX_SAID ? `${said.slice(0, MAX_SAID - 1)}…` : said;
}

/**
 * Runs requestAdapter in a child of this same runtime (VS Code's too: ELECTRON_RUN_AS_NODE
 * is inherited), killed after `timeoutMs`. Synchronous: it runs once, before training.
 */
export function probeDawnAdapter(entry: string, dawnOptions: readonly string[], timeoutMs: number): DawnProbe {
  const arg = JSON.stringify([pathToFileURL(entry).href, dawnOptions]);
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE_SCRIPT, arg], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  const dawnSaid = dawnWords(r.stderr ?? '');
  if (r.error !== undefined) {
    const code = (r.error as { code?: unknown }).code;
    if (code === 'ETIMEDOUT')
      return { found: false, why: 'timeout', detail: `requestAdapter did not settle within ${timeoutMs} ms`, dawnSaid };
    return { found: false, why: 'error', detail: `the probe process failed to run: ${r.error.message}`, dawnSaid };
  }
  let answer: unknown;
  try {
    answer = JSON.parse(r.stdout);
  } catch {
    const how = r.signal !== null ? `was killed by ${r.signal}` : `exited with code ${r.status}`;
    return { found: false, why: 'error', detail: `the probe process ${how} without an answer`, dawnSaid };
  }
  const a = answer as { found?: unknown; error?: unknown };
  if (a.found === true) return { found: true };
  if (typeof a.error === 'string') {
    return { found: false, why: 'error', detail: `requestAdapter failed: ${a.error.split('\n')[0]}`, dawnSaid };
  }
  return { found: false, why: 'no-adapter', detail: 'requestAdapter returned no adapter', dawnSaid };
}
