// "SOLAR: Install GPU Backend": npm-installs @tensorflow/tfjs-node-gpu into the extension's
// global storage with the trainer's own Node (a native addon is built for one Node ABI),
// and the launcher passes that node_modules to the trainer with --module-path. Failure
// (offline: its install script downloads libtensorflow; unsupported platform; no npm)
// is explained and changes nothing: the wasm backend keeps working.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NodeChoice } from './nodeRuntime';

export const GPU_PACKAGE = '@tensorflow/tfjs-node-gpu';
const GPU_VERSION = '^4.22.0';
const SUPPORTED = ['linux-x64', 'win32-x64'];

/** The built native addon, proof that the install script really ran. */
export function gpuAddonPresent(modulesDir: string): boolean {
  const lib = path.join(modulesDir, GPU_PACKAGE, 'lib');
  try {
    return fs.readdirSync(lib).some((d) => fs.existsSync(path.join(lib, d, 'tfjs_binding.node')));
  } catch {
    return false;
  }
}

function npmFor(node: NodeChoice): string {
  const npm = path.join(path.dirname(node.command), process.platform === 'win32' ? 'npm.cmd' : 'npm');
  return fs.existsSync(npm) ? npm : 'npm';
}

export async function installGpuBackend(
  modulesDir: string,
  node: NodeChoice,
  log: vscode.LogOutputChannel,
): Promise<boolean> {
  const fail = (why: string) => {
    log.error(`GPU backend not installed: ${why}`);
    void vscode.window
      .showErrorMessage(
        `SOLAR: the GPU backend was not installed: ${why} Training still works on the wasm backend.`,
        'Show Log',
      )
      .then((p) => p && log.show(true));
    return false;
  };
  const platform = `${process.platform}-${process.arch}`;
  if (!SUPPORTED.includes(platform))
    return fail(`${GPU_PACKAGE} is published for Linux x64 and Windows x64 (with CUDA) only; this is ${platform}.`);
  if (!node.nativeAddons)
    return fail(
      `it needs a real Node.js to build for, but the trainer runs on ${node.describe}. Install Node 20+ or set solar.trainer.nodePath.`,
    );
  const prefix = path.dirname(modulesDir);
  fs.mkdirSync(prefix, { recursive: true });
  // allowScripts: npm 11 skips dependency install scripts unless the project allows them,
  // and tfjs-node-gpu's install script is what fetches libtensorflow.
  fs.writeFileSync(
    path.join(prefix, 'package.json'),
    JSON.stringify({ name: 'solar-gpu-backend', private: true, allowScripts: { [GPU_PACKAGE]: true } }, null, 2),
  );
  const npm = npmFor(node);
  const args = ['install', `${GPU_PACKAGE}@${GPU_VERSION}`, '--no-audit', '--no-fund', '--prefix', prefix];
  log.info(`installing the GPU backend: ${npm} ${args.join(' ')} (with ${node.describe})`);
  let output = '';
  const code = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `SOLAR: installing ${GPU_PACKAGE}`, cancellable: true },
    (progress, token) =>
      new Promise<number | string>((resolve) => {
        const env = {
          ...process.env,
          ...node.env,
          PATH: `${path.dirname(node.command)}${path.delimiter}${process.env.PATH ?? ''}`,
        };
        const child = spawn(npm, args, { cwd: prefix, env, shell: process.platform === 'win32' });
        const onData = (d: Buffer) => {
          for (const line of d.toString().split(/\r?\n/)) {
            if (!line.trim()) continue;
            output = (output + line + '\n').slice(-20_000);
            log.info(`[npm] ${line}`);
            progress.report({ message: line.slice(0, 80) });
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        token.onCancellationRequested(() => child.kill());
        child.on('error', (e) => resolve(`could not run npm (${e.message}); install Node.js with npm.`));
        child.on('exit', (c) => resolve(token.isCancellationRequested ? 'cancelled.' : (c ?? 1)));
      }),
  );
  if (typeof code === 'string') return fail(code);
  if (code !== 0) {
    const host = /(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH)[\s\S]*?hostname: '([^']+)'/.exec(
      output,
    )?.[1];
    const net = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH/.test(output);
    return fail(
      net
        ? `no network access: npm could not reach ${host ?? 'the network'} (the install downloads libtensorflow).`
        : `npm install exited with code ${code} — see the log.`,
    );
  }
  if (!gpuAddonPresent(modulesDir))
    return fail(
      'npm finished but the native addon was not built (its install script did not run or could not download libtensorflow).',
    );
  log.info(`GPU backend installed in ${modulesDir}; new runs with backend auto or tensorflow will try it first`);
  void vscode.window.showInformationMessage(
    'SOLAR: GPU backend installed. New runs will use it when CUDA is available.',
  );
  return true;
}
