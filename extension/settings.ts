// The extension's settings (contributes.configuration in package.json), read in one place.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BackendChoice } from '../protocol/runConfig';

export interface Settings {
  nodePath: string;
  defaultBackend: BackendChoice;
  runsDirectory: string;
  stopGraceSeconds: number;
  /** Re-score a scored dataset's new and edited items with the same checkpoint when it is saved. */
  rescoreOnSave: boolean;
}

/** `scope`: the file a resource-scoped setting is read for (a folder's own settings win). */
export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration('solar', scope);
  return {
    nodePath: c.get<string>('trainer.nodePath', ''),
    defaultBackend: c.get<BackendChoice>('trainer.defaultBackend', 'auto'),
    runsDirectory: c.get<string>('runsDirectory', '.solar/runs'),
    stopGraceSeconds: Math.max(1, c.get<number>('trainer.stopGraceSeconds', 30)),
    rescoreOnSave: c.get<boolean>('dataset.rescoreOnSave', true),
  };
}

/** Every runs directory: the setting resolved against each workspace folder (or absolute). */
export function runsDirs(): string[] {
  const setting = readSettings().runsDirectory || '.solar/runs';
  if (path.isAbsolute(setting)) return [setting];
  const dirs = (vscode.workspace.workspaceFolders ?? []).map((f) => path.resolve(f.uri.fsPath, setting));
  return [...new Set(dirs)];
}

/** Where a run of `configFile` goes: the runs directory of the workspace folder holding it. */
export function runsDirFor(configFile: string): string {
  const setting = readSettings().runsDirectory || '.solar/runs';
  if (path.isAbsolute(setting)) return setting;
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(configFile));
  return path.resolve(folder?.uri.fsPath ?? path.dirname(configFile), setting);
}
