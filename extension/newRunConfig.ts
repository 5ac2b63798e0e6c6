// "SOLAR: New Run Config…": a few questions (dataset, preset, lambda, name), then a
// `*.solar.json` the user can edit and commit (runConfigDraft.ts: the asked fields and a few
// useful ones, no `$schema`); the JSON Schema (contributes.jsonValidation) documents the rest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MODEL_PRESETS } from '../protocol/runConfig';
import { draftRunConfig } from './runConfigDraft';
import { readSettings } from './settings';

const EXCLUDE = '**/{node_modules,.solar,.git}/**';

async function pickDataset(
  title: string,
  files: vscode.Uri[],
  optional: boolean,
): Promise<vscode.Uri | null | undefined> {
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri; browse?: boolean };
  const items: Item[] = files.map((uri) => ({
    label: path.basename(uri.fsPath),
    description: vscode.workspace.asRelativePath(uri),
    uri,
  }));
  if (optional) items.unshift({ label: 'No evaluation set', description: 'evaluate nothing during training' });
  items.push({ label: 'Browse…', browse: true });
  const pick = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'a *.parallel.jsonl file',
    ignoreFocusOut: true,
  });
  if (!pick) return undefined;
  if (pick.browse) {
    const chosen = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      filters: { 'Parallel datasets': ['jsonl'] },
    });
    return chosen?.[0];
  }
  return pick.uri ?? null;
}

/** Ask, write and open a new run config; returns its path (undefined when cancelled). */
export async function newRunConfig(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('Open a folder first: the run config is written into the workspace.');
    return undefined;
  }
  const datasets = await vscode.workspace.findFiles('**/*.parallel.jsonl', EXCLUDE, 200);
  const train = await pickDataset('New Run Config (1/5): training set', datasets, false);
  if (!train) return undefined;
  const evalSet = await pickDataset(
    'New Run Config (2/5): evaluation set',
    datasets.filter((d) => d.fsPath !== train.fsPath),
    true,
  );
  if (evalSet === undefined) return undefined;
  const preset = await vscode.window.showQuickPick(
    MODEL_PRESETS.map((p) => ({
      label: p,
      description: p === 'tiny' ? 'd 128, 4 layers, 0.84 M params — minutes on a CPU' : 'd 256, 6 layers',
    })),
    { title: 'New Run Config (3/5): model preset', ignoreFocusOut: true },
  );
  if (!preset) return undefined;
  const lambdaText = await vscode.window.showInputBox({
    title: 'New Run Config (4/5): lambda (weight of the SOLAR alignment loss; 0 = plain SFT)',
    value: '0.5',
    ignoreFocusOut: true,
    validateInput: (v) =>
      v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? undefined : 'a number ≥ 0',
  });
  if (lambdaText === undefined) return undefined;
  const dir = vscode.workspace.getWorkspaceFolder(train)?.uri.fsPath ?? folder.uri.fsPath;
  const defaultName =
    `${path.basename(train.fsPath).replace(/\.parallel\.jsonl$|\.jsonl$/, '')}-${preset.label}-l${lambdaText.trim()}`.replace(
      /[^A-Za-z0-9._-]/g,
      '-',
    );
  const name = await vscode.window.showInputBox({
    title: 'New Run Config (5/5): run name (the file is <name>.solar.json)',
    value: defaultName,
    ignoreFocusOut: true,
    validateInput: (v) =>
      !/^[A-Za-z0-9._-]+$/.test(v)
        ? 'letters, digits, ".", "_" or "-"'
        : fs.existsSync(path.join(dir, `${v}.solar.json`))
          ? `${v}.solar.json already exists`
          : undefined,
  });
  if (!name) return undefined;

  const config = draftRunConfig({
    name,
    preset: preset.label as (typeof MODEL_PRESETS)[number],
    lambda: Number(lambdaText),
    train: train.fsPath,
    ...(evalSet ? { evalSet: evalSet.fsPath } : {}),
    dir,
    backend: readSettings().defaultBackend,
  });
  const file = path.join(dir, `${name}.solar.json`);
  fs.writeFileSync(file, JSON.stringify(config, null, 2) + '\n');
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  return file;
}
