// Diagnostics for `*.parallel.jsonl` documents as the user types: the checks of
// `solar data validate` (protocol/datasetCheck, the same code), shown in the Problems
// view and underlined at the offending field's text. Re-checked shortly after each
// change (one DatasetChecker per document remembers unchanged lines), cleared on close.
// Quick fixes only where the repair is unambiguous: removing a trailing comma that breaks
// the JSON, and trimming the whitespace around an id or answer. Nothing else is guessed at
// (which of two duplicate ids to rename, what a broken line meant).
import * as vscode from 'vscode';
import { DatasetChecker, type DatasetProblem } from '../protocol/datasetCheck';
import { datasetPivot } from './datasetEditor/datasetEditorProvider';
import { Disposable, toDisposable } from './disposable';

const DEBOUNCE_MS = 300;
const SOURCE = 'solar';

/** Files the user edits: not the read-only copies a diff or the SCM view opens (git:, …), which would list every problem twice. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote']);

export function isParallelDataset(document: vscode.TextDocument): boolean {
  return SCHEMES.has(document.uri.scheme) && document.uri.path.endsWith('.parallel.jsonl');
}

interface Checked {
  checker: DatasetChecker;
  /** The problems of the last check, for the quick fixes (matched to diagnostics by code and range). */
  problems: DatasetProblem[];
  timer?: ReturnType<typeof setTimeout>;
}

export class DatasetDiagnostics extends Disposable implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection: vscode.DiagnosticCollection;
  private readonly docs = new Map<string, Checked>();

  constructor() {
    super();
    this.collection = this.register(vscode.languages.createDiagnosticCollection('solar-dataset'));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.check(d)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('solar.dataset.pivot')) return;
        this.docs.clear();
        vscode.workspace.textDocuments.forEach((d) => this.check(d));
      }),
    );
    this.register(
      vscode.languages.registerCodeActionsProvider({ pattern: '**/*.parallel.jsonl' }, this, {
        providedCodeActionKinds: DatasetDiagnostics.providedCodeActionKinds,
      }),
    );
    this.register(toDisposable(() => [...this.docs.values()].forEach((c) => clearTimeout(c.timer))));
    vscode.workspace.textDocuments.forEach((d) => this.check(d));
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isParallelDataset(document)) return;
    const c = this.entry(document);
    clearTimeout(c.timer);
    c.timer = setTimeout(() => this.check(document), DEBOUNCE_MS);
  }

  private entry(document: vscode.TextDocument): Checked {
    const key = document.uri.toString();
    let c = this.docs.get(key);
    if (!c) {
      c = { checker: new DatasetChecker({ pivot: datasetPivot(document.uri) }), problems: [] };
      this.docs.set(key, c);
    }
    return c;
  }

  private check(document: vscode.TextDocument): void {
    if (!isParallelDataset(document) || document.isClosed || this.isDisposed) return;
    const c = this.entry(document);
    clearTimeout(c.timer);
    c.timer = undefined;
    const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
    c.problems = c.checker.check(lines).problems;
    this.collection.set(
      document.uri,
      c.problems.map((p) => toDiagnostic(document, p)),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.docs.get(key)?.timer);
    this.docs.delete(key);
    this.collection.delete(uri);
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const c = this.docs.get(document.uri.toString());
    if (!c) return [];
    const actions: vscode.CodeAction[] = [];
    for (const p of c.problems) {
      if (!p.fix || p.line === undefined) continue;
      const diagnostic = toDiagnostic(document, p);
      if (!diagnostic.range.intersection(range)) continue;
      const line = p.line - 1;
      const action = new vscode.CodeAction(p.fix.title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, new vscode.Range(line, p.fix.column, line, p.fix.endColumn), p.fix.text);
      actions.push(action);
    }
    return actions;
  }
}

/** A problem as a diagnostic: its span in its line, else the whole line (or the first line, for the file). */
export function toDiagnostic(document: vscode.TextDocument, p: DatasetProblem): vscode.Diagnostic {
  const line = Math.min((p.line ?? 1) - 1, document.lineCount - 1);
  const length = document.lineAt(line).text.length;
  const start = Math.min(p.column ?? 0, length);
  const end = Math.max(start, Math.min(p.endColumn ?? length, length));
  const d = new vscode.Diagnostic(
    new vscode.Range(line, start, line, end),
    p.field ? `${p.field}: ${p.message}` : p.message,
    p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
  );
  d.source = SOURCE;
  d.code = p.code;
  return d;
}
