// "SOLAR: Validate Dataset" and "SOLAR: Generate Synthetic Dataset…" (palette; Validate also
// on a `*.parallel.jsonl` in the Explorer): `solar data validate|generate` run in the
// trainer program (one implementation of the checks and of the generator), in the
// background with a cancellable notification (trainerCommand.ts). Validate reports "valid,
// N items" or the problem, with "Open" at the line a problem names; the text view's
// diagnostics (datasetDiagnostics.ts) already show the rest. Generate opens its file in the grid.
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
      const actions = out.problem ? ['Open', 'Show Log'] : ['Show Log'];
      const action = await vscode.window.showErrorMessage(`SOLAR: ${name} is not valid: ${out.message}`, ...actions);
      if (action === 'Open' && out.problem) await openProblem(out.problem, file);
      else if (action === 'Show Log') this.log.show();
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
      void vscode.window
        .showErrorMessage(`SOLAR: Generate Synthetic Dataset failed: ${done.message}`, 'Show Log')
        .then((a) => a && this.log.show());
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

/** The text editor at the problem's line (the grid cannot select a line; the text view's diagnostics mark it). */
async function openProblem(problem: DatasetProblem, validated: string): Promise<void> {
  const line = Math.max(0, (problem.line ?? 1) - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(problemFile(problem, validated)), {
    selection: new vscode.Range(line, 0, line, 0),
  });
}
