// "SOLAR: Validate Dataset", "Generate Synthetic Dataset…" and "Import Benchmark…" (palette;
// Validate also on a `*.parallel.jsonl` in the Explorer): `solar data validate|generate|import` run in the
// trainer program (one implementation of the checks and of the generator), in the
// background with a cancellable notification (trainerCommand.ts). Validate reports "valid,
// N items" or the problem, with "Open" at the line a problem names; the text view's
// diagnostics (datasetDiagnostics.ts) already show the rest. Generate and Import open their file in the grid.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainerHost } from './comparePanel';
import {
  countProblem,
  type DatasetProblem,
  GENERATOR_LANGUAGES,
  GENERATOR_PIVOT,
  generateArgs,
  problemFile,
  readCliResult,
  readValidateResult,
  validateArgs,
  withDatasetSuffix,
} from './datasetCommandArgs';
import { Disposable, toDisposable } from './disposable';
import { openPlace, showTrainerError } from './errorNotice';
import {
  BENCHMARK_FORMATS,
  type BenchmarkFormat,
  defaultImportName,
  FORMAT_LABELS,
  guessBenchmarkFormat,
  importArgs,
  pickedFolder,
} from './importGuess';
import type { CommandResult } from './trainerCommand';
import { runTrainerCommand } from './trainerCommand';

const DATASET = /\.parallel\.jsonl$/;
const EXCLUDE = '**/{node_modules,.solar,.git}/**';
/** Validation reads the whole file, generation writes up to MAX_GENERATE_COUNT items: seconds; the limit only stops a hung process. */
const TIMEOUT_MS = 10 * 60_000;

export class DatasetCommands extends Disposable {
  /** Commands under way, cancelled when the window goes (they are child processes of this host). */
  private readonly running = new Set<vscode.CancellationTokenSource>();

  constructor(
    private readonly trainer: TrainerHost,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(toDisposable(() => [...this.running].forEach((c) => c.cancel())));
    this.register(vscode.commands.registerCommand('solar.validateDataset', (arg?: unknown) => this.validate(arg)));
    this.register(vscode.commands.registerCommand('solar.generateDataset', () => this.generate()));
    this.register(vscode.commands.registerCommand('solar.importBenchmark', () => this.importBenchmark()));
  }

  async validate(arg?: unknown): Promise<void> {
    if (!this.trusted()) return;
    const uri = await this.target(arg);
    if (!uri) return;
    const file = uri.fsPath;
    // The CLI reads the file on disk: validate what the user sees.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty && !(await open.save())) return;
    const name = path.basename(file);
    const r = await this.runCli(`validating ${name}`, validateArgs(this.trainer.trainerJs, file));
    if (!r) return;
    const out = readValidateResult(r);
    if (out.ok) {
      for (const w of out.warnings) this.log.warn(`validate: ${w.text}`);
      const first = out.warnings[0];
      const warned = out.warnings.length
        ? `, ${out.warnings.length} warning${out.warnings.length === 1 ? '' : 's'}: ${first.text}`
        : '';
      const actions = first ? ['Open', 'Show Log'] : [];
      const action = await vscode.window.showInformationMessage(
        `SOLAR: ${name} is valid, ${out.items} items${warned}`,
        ...actions,
      );
      if (action === 'Open' && first) await openProblem(first, file);
      else if (action === 'Show Log') this.log.show();
    } else if (!out.cancelled) {
      this.log.error(`validate ${file} failed: ${out.message}\n${out.stderr}`);
      await showTrainerError(`SOLAR: ${name} is not valid`, out.message, this.log, file);
    }
  }

  async generate(): Promise<void> {
    if (!this.trusted()) return;
    const title = 'SOLAR: Generate Synthetic Dataset';
    const count = await vscode.window.showInputBox({
      title: `${title} (1/3): items`,
      prompt: 'How many items? (each is one arithmetic word problem in every picked language)',
      value: '200',
      validateInput: countProblem,
    });
    if (count === undefined) return;
    const picks = await vscode.window.showQuickPick(
      GENERATOR_LANGUAGES.map((l) => ({
        label: l,
        picked: true,
        ...(l === GENERATOR_PIVOT ? { description: 'the pivot: always included' } : {}),
      })),
      { title: `${title} (2/3): languages`, canPickMany: true, placeHolder: 'Which languages?' },
    );
    if (!picks) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const chosen = await vscode.window.showSaveDialog({
      title: `${title} (3/3): file`,
      filters: { 'Parallel datasets': ['jsonl'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'synthetic.parallel.jsonl') } : {}),
    });
    if (!chosen) return;
    const out = withDatasetSuffix(chosen.fsPath);
    const req = { count: Number(count.trim()), languages: picks.map((p) => p.label), out };
    const r = await this.runCli(`generating ${path.basename(out)}`, generateArgs(this.trainer.trainerJs, req));
    if (!r) return;
    const done = readCliResult(r);
    if (done.ok) {
      this.log.info(`generate: ${done.stdout.trim()}`);
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(out), 'solar.datasetEditor');
    } else if (!done.cancelled) {
      this.log.error(`generate ${out} failed: ${done.message}\n${done.stderr}`);
      void showTrainerError('SOLAR: Generate Synthetic Dataset failed', done.message, this.log);
    }
  }

  async importBenchmark(): Promise<void> {
    if (!this.trusted()) return;
    const title = 'SOLAR: Import Benchmark';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const picked = await vscode.window.showOpenDialog({
      title: `${title} (1/4): the benchmark's files, one or more languages`,
      canSelectMany: true,
      openLabel: 'Import',
      filters: { 'Benchmark files': ['tsv', 'json', 'jsonl'], 'All files': ['*'] },
      ...(folder ? { defaultUri: folder } : {}),
    });
    if (!picked?.length) return;
    const files = picked.map((u) => u.fsPath);
    const guess = guessBenchmarkFormat(files.map((f) => ({ path: f, head: readHead(f) })));
    const order = guess ? [guess, ...BENCHMARK_FORMATS.filter((f) => f !== guess)] : [...BENCHMARK_FORMATS];
    const format = await vscode.window.showQuickPick(
      order.map((f) => ({
        label: f,
        detail: FORMAT_LABELS[f],
        ...(f === guess ? { description: 'guessed from the files' } : {}),
      })),
      {
        title: `${title} (2/4): format of ${files.length} file${files.length === 1 ? '' : 's'}`,
        placeHolder: guess ? `These look like ${guess}` : 'Which benchmark are these files?',
      },
    );
    if (!format) return;
    const mode = await vscode.window.showQuickPick(
      [
        {
          label: 'Evaluation set',
          detail: 'Prompts and gold answers only (for Evaluate Checkpoint and eval data)',
          value: 'none' as const,
        },
        {
          label: 'Training set',
          detail: 'Also build a response from each gold answer, so runs can train on it',
          value: 'answer' as const,
        },
      ],
      { title: `${title} (3/4): use` },
    );
    if (!mode) return;
    const fmt = format.label as BenchmarkFormat;
    const base = folder ?? vscode.Uri.file(pickedFolder(files) ?? '.');
    const chosen = await vscode.window.showSaveDialog({
      title: `${title} (4/4): dataset to write`,
      filters: { 'Parallel datasets': ['jsonl'] },
      defaultUri: vscode.Uri.joinPath(base, defaultImportName(fmt, mode.value)),
    });
    if (!chosen) return;
    const out = withDatasetSuffix(chosen.fsPath);
    const args = importArgs(this.trainer.trainerJs, { format: fmt, files, out, responses: mode.value });
    const r = await this.runCli(`importing ${files.length} ${fmt} file${files.length === 1 ? '' : 's'}`, args);
    if (!r) return;
    const done = readCliResult(r);
    if (done.ok) {
      this.log.info(`import: ${done.stdout.trim()}`);
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(out), 'solar.datasetEditor');
      vscode.window.setStatusBarMessage(`SOLAR: ${done.stdout.trim().split(' to ')[0]}`, 8000);
    } else if (!done.cancelled) {
      this.log.error(`import to ${out} failed: ${done.message}\n${done.stderr}`);
      void showTrainerError('SOLAR: Import Benchmark failed', done.message, this.log);
    }
  }

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('SOLAR does not start the trainer in an untrusted workspace.');
    return false;
  }

  /** The dataset: the one given (Explorer), else the active tab's (grid or text), else a pick. */
  private async target(arg: unknown): Promise<vscode.Uri | undefined> {
    if (arg instanceof vscode.Uri) return arg;
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    const active =
      input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
    if (active?.scheme === 'file' && DATASET.test(active.fsPath)) return active;
    const files = await vscode.workspace.findFiles('**/*.parallel.jsonl', EXCLUDE, 200);
    if (!files.length) {
      void vscode.window.showInformationMessage('SOLAR: no *.parallel.jsonl dataset in this workspace to validate.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      files
        .map((u) => ({ label: path.basename(u.fsPath), description: vscode.workspace.asRelativePath(u), uri: u }))
        .sort((a, b) => a.description.localeCompare(b.description)),
      { title: 'SOLAR: Validate Dataset', placeHolder: 'Which dataset?' },
    );
    return pick?.uri;
  }

  /** Run a `solar data …` command with a cancellable notification; undefined when it could not start. */
  private async runCli(what: string, args: string[]): Promise<CommandResult | undefined> {
    let node: ReturnType<TrainerHost['nodeChoice']>;
    try {
      node = this.trainer.nodeChoice();
    } catch (e) {
      void vscode.window.showErrorMessage(`SOLAR: ${(e as Error).message}`);
      return undefined;
    }
    this.log.info(`data: ${node.command} ${args.join(' ')}`);
    const stop = new vscode.CancellationTokenSource();
    this.running.add(stop);
    try {
      const r = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `SOLAR: ${what}…`, cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => stop.cancel());
          return runTrainerCommand(node, args, { token: stop.token, timeoutMs: TIMEOUT_MS });
        },
      );
      return this.isDisposed ? undefined : r;
    } finally {
      this.running.delete(stop);
      stop.dispose();
    }
  }
}

/** A file's first 4 KiB as text (enough for one benchmark record), '' when unreadable. */
function readHead(file: string): string {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(4096);
      return buf.toString('utf8', 0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** The text editor at the problem's line (the grid cannot select a line; the text view's diagnostics mark it). */
function openProblem(problem: DatasetProblem, validated: string): Promise<void> {
  return openPlace({ file: problemFile(problem, validated), line: problem.line ?? 1 });
}
