// Starts, stops and resumes trainers. It spawns dist/trainer.js (never loads tfjs itself),
// shows progress in the Runs view while a run starts or stops, copies the trainer's
// console into the log channel, and turns a failure into one error notification with
// "Show Log". Runs outlive the window: on deactivate the processes are detached, not
// killed; after a reload they are found again through their run folders.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runFile } from '../protocol/runFolder';
import { isActive, type RunInfo } from '../protocol/runInfo';
import { Disposable, toDisposable } from './disposable';
import { showTrainerError } from './errorNotice';
import { chooseNode, type NodeChoice } from './nodeRuntime';
import { type LaunchRequest, launchRun, recordLaunchFailure } from './runLauncher';
import type { RunStore } from './runStore';
import { RunsTree } from './runsTree';
import { readSettings, runsDirFor } from './settings';
import { stopPid, type TrainerProcess } from './trainerProcess';

export class RunController extends Disposable {
  private readonly processes = new Map<string, TrainerProcess>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: RunStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    // Detach (not kill) our trainers when the window goes: runs survive a reload.
    this.register(
      toDisposable(() => {
        for (const p of this.processes.values()) p.detach();
        this.processes.clear();
      }),
    );
  }

  /** Extra node_modules folders for tfjs-node(-gpu) installed by "Install GPU Backend". */
  get gpuModulesDir(): string {
    return path.join(this.context.globalStorageUri.fsPath, 'gpu-backend', 'node_modules');
  }

  /** The bundled trainer program (dist/trainer.js). */
  get trainerJs(): string {
    return this.context.asAbsolutePath(path.join('dist', 'trainer.js'));
  }

  nodeChoice(): NodeChoice {
    return chooseNode({
      setting: readSettings().nodePath,
      pathEnv: process.env.PATH ?? '',
      execPath: process.execPath,
      execVersion: process.version,
    });
  }

  private requireTrust(what: string): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(
      `SOLAR does not ${what} in an untrusted workspace: a run config points the trainer at files and a Node.js to execute. Trust the workspace to train.`,
    );
    return false;
  }

  async start(configFile: string): Promise<string | undefined> {
    if (!this.requireTrust('start a trainer')) return undefined;
    return this.launch({ configFile, runsDir: runsDirFor(configFile) }, path.basename(configFile));
  }

  async resume(run: RunInfo): Promise<string | undefined> {
    if (!this.requireTrust('resume a trainer')) return undefined;
    if (isActive(run.state)) {
      void vscode.window.showInformationMessage(`Run ${run.id} is still ${run.state}.`);
      return undefined;
    }
    if (!run.checkpoints.length) {
      void vscode.window.showErrorMessage(`Run ${run.id} has no checkpoint to resume from.`);
      return undefined;
    }
    return this.launch({ resumeDir: run.dir }, run.id);
  }

  private async launch(
    req: Omit<LaunchRequest, 'trainerJs' | 'chooseNode'>,
    label: string,
  ): Promise<string | undefined> {
    const launched = await launchRun({
      ...req,
      trainerJs: this.trainerJs,
      chooseNode: () => this.guardBackend(this.nodeChoice(), req.configFile),
      modulePaths: [this.gpuModulesDir],
      log: (line) => this.log.info(line),
    });
    const { dir, process: proc } = launched;
    this.store.refresh();
    if (proc) {
      this.processes.set(dir, proc);
      this.register(this.followConsole(dir, proc));
      // Progress in context: a bar on the Runs view until the trainer is past its start.
      void vscode.window.withProgress({ location: { viewId: RunsTree.viewId }, title: `Starting ${label}` }, () =>
        this.untilStarted(dir, proc),
      );
    }
    void launched.done.then((outcome) => {
      this.processes.delete(dir);
      this.store.refresh();
      if (!outcome.ok) this.reportFailure(path.basename(dir), outcome.message ?? 'unknown error');
    });
    return dir;
  }

  /** VS Code's runtime cannot load native addons: refuse a config that insists on them. */
  private guardBackend(node: NodeChoice, configFile: string | undefined): NodeChoice {
    if (!node.nativeAddons && configFile && configBackend(configFile) === 'tensorflow') {
      throw new Error(
        `backend "tensorflow" needs a real Node.js (native addon), but the trainer would run on ${node.describe}. Install Node 20+ on PATH or set solar.trainer.nodePath, or use backend "auto".`,
      );
    }
    return node;
  }

  private async untilStarted(dir: string, proc: TrainerProcess): Promise<void> {
    for (let i = 0; i < 600 && proc.isRunning; i++) {
      const r = this.store.get(dir);
      if (r && r.state !== 'starting') return;
      await new Promise((res) => setTimeout(res, 250));
    }
  }

  /** Copy the trainer's console file into the log channel as it grows. */
  private followConsole(dir: string, proc: TrainerProcess): { dispose(): void } {
    const file = runFile(dir, 'console');
    let offset = 0;
    try {
      offset = fs.statSync(file).size; // a resumed run: skip the earlier sessions
    } catch {
      offset = 0;
    }
    const id = path.basename(dir);
    const pump = () => {
      try {
        const size = fs.statSync(file).size;
        if (size <= offset) return;
        const fd = fs.openSync(file, 'r');
        const buf = Buffer.alloc(size - offset);
        fs.readSync(fd, buf, 0, buf.length, offset);
        fs.closeSync(fd);
        offset = size;
        for (const line of buf.toString('utf8').split(/\r?\n|\r/)) if (line.trim()) this.log.info(`[${id}] ${line}`);
      } catch {
        // Deleted or not there yet.
      }
    };
    const timer = setInterval(pump, 500);
    void proc.exited.then(() =>
      setTimeout(() => {
        pump();
        clearInterval(timer);
      }, 100),
    );
    return toDisposable(() => clearInterval(timer));
  }

  reportFailure(id: string, message: string): void {
    void showTrainerError(`SOLAR run ${id} failed`, message, this.log);
  }

  async stop(run: RunInfo): Promise<void> {
    if (!isActive(run.state) || run.pid === undefined) {
      void vscode.window.showInformationMessage(`Run ${run.id} is not running (${run.state}).`);
      return;
    }
    const graceSec = readSettings().stopGraceSeconds;
    const proc = this.processes.get(run.dir);
    this.log.info(`stopping ${run.id} (pid ${run.pid}): SIGTERM, then kill after ${graceSec}s`);
    const outcome = await vscode.window.withProgress(
      { location: { viewId: RunsTree.viewId }, title: `Stopping ${run.id}` },
      () => (proc ? proc.stop(graceSec * 1000) : stopPid(run.pid!, graceSec * 1000)),
    );
    if (outcome === 'killed') {
      recordLaunchFailure(run.dir, `did not stop within ${graceSec}s of SIGTERM; its process tree was killed`, run.pid);
      this.log.warn(`${run.id} did not stop within ${graceSec}s; killed`);
    } else this.log.info(`${run.id}: ${outcome === 'graceful' ? 'stopped with a checkpoint' : 'was not running'}`);
    this.store.refresh();
  }
}

/** The config's `backend` field, if the file is readable JSON (the trainer reports anything else). */
function configBackend(configFile: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(configFile, 'utf8')) as { backend?: unknown }).backend;
  } catch {
    return undefined;
  }
}
