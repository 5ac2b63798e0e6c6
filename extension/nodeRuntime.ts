// Which Node runs the trainer (issue 4): the `solar.trainer.nodePath` setting, else `node`
// on PATH, else VS Code's own runtime with ELECTRON_RUN_AS_NODE. Native tfjs addons are
// built per Node ABI, so only a real Node may load tfjs-node(-gpu); on VS Code's runtime
// the trainer is limited to the wasm and cpu backends. Pure: the probe is injected.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MIN_NODE_MAJOR = 20;

export interface NodeChoice {
  /** Executable to spawn. */
  command: string;
  /** Extra environment for the trainer process. */
  env: Record<string, string>;
  source: 'setting' | 'path' | 'vscode';
  version: string;
  /** Whether native addons (tfjs-node, tfjs-node-gpu) can load in it. */
  nativeAddons: boolean;
  /** One line for the log: which Node and why. */
  describe: string;
  /** Set when a better choice was skipped (e.g. node on PATH is too old). */
  note?: string;
}

export interface NodeChoiceInput {
  setting?: string;
  /** PATH to search for `node`. */
  pathEnv: string;
  /** VS Code's runtime (process.execPath in the extension host) and its Node version. */
  execPath: string;
  execVersion: string;
  /** Returns `vX.Y.Z` for an executable, or null when it does not run. */
  probe?: (command: string) => string | null;
}

export function probeNodeVersion(command: string): string | null {
  const r = spawnSync(command, ['--version'], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  if (r.error || r.status !== 0) return null;
  const v = r.stdout.trim();
  return /^v\d+\./.test(v) ? v : null;
}

export function nodeMajor(version: string): number {
  return Number(/^v?(\d+)/.exec(version)?.[1] ?? NaN);
}

/** `node` on PATH, like the shell finds it. */
export function findOnPath(pathEnv: string, name = process.platform === 'win32' ? 'node.exe' : 'node'): string | null {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const f = path.join(dir, name);
    try {
      fs.accessSync(f, fs.constants.X_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch {
      // Not here; keep looking.
    }
  }
  return null;
}

export class NodeChoiceError extends Error {}

/** Choose the trainer's Node, or throw a NodeChoiceError that says what to fix. */
export function chooseNode(i: NodeChoiceInput): NodeChoice {
  const probe = i.probe ?? probeNodeVersion;
  const setting = i.setting?.trim();
  if (setting) {
    const v = probe(setting);
    if (!v)
      throw new NodeChoiceError(
        `The Node.js in setting solar.trainer.nodePath ("${setting}") does not run. Fix the setting or clear it to use node on PATH.`,
      );
    if (nodeMajor(v) < MIN_NODE_MAJOR) {
      throw new NodeChoiceError(
        `The Node.js in setting solar.trainer.nodePath ("${setting}") is ${v}; the trainer needs Node ${MIN_NODE_MAJOR} or newer.`,
      );
    }
    return {
      command: setting,
      env: {},
      source: 'setting',
      version: v,
      nativeAddons: true,
      describe: `Node ${v} from setting solar.trainer.nodePath (${setting})`,
    };
  }
  let note: string | undefined;
  const onPath = findOnPath(i.pathEnv);
  if (onPath) {
    const v = probe(onPath);
    if (v && nodeMajor(v) >= MIN_NODE_MAJOR) {
      return {
        command: onPath,
        env: {},
        source: 'path',
        version: v,
        nativeAddons: true,
        describe: `Node ${v} on PATH (${onPath})`,
      };
    }
    note = v
      ? `node on PATH (${onPath}) is ${v}, older than the ${MIN_NODE_MAJOR} the trainer needs`
      : `node on PATH (${onPath}) does not run`;
  }
  if (nodeMajor(i.execVersion) < MIN_NODE_MAJOR) {
    throw new NodeChoiceError(
      `No usable Node.js: ${note ?? 'node is not on PATH'}, and VS Code's runtime is Node ${i.execVersion}. Install Node ${MIN_NODE_MAJOR}+ or set solar.trainer.nodePath.`,
    );
  }
  return {
    command: i.execPath,
    env: { ELECTRON_RUN_AS_NODE: '1' },
    source: 'vscode',
    version: i.execVersion,
    nativeAddons: false,
    note,
    describe: `VS Code's runtime (Node ${i.execVersion}, ELECTRON_RUN_AS_NODE) — wasm/cpu backends only${note ? `; ${note}` : '; no node on PATH'}`,
  };
}
