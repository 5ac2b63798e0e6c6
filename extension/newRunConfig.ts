// "SOLAR: New Run Config…": a few questions (dataset, model, lambda, name), then a
// `*.solar.json` the user can edit and commit (runConfigDraft.ts: the asked fields and a few
// useful ones, no `$schema`); the JSON Schema (contributes.jsonValidation) documents the rest.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkModelFolder } from '../protocol/modelFolder';
import { MODEL_PRESETS } from '../protocol/runConfig';
import { formatParams } from '../protocol/runInfo';
import { draftRunConfig, type ModelChoice } from './runConfigDraft';
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

const PRESET_DESCRIPTIONS: Record<(typeof MODEL_PRESETS)[number], string> = {
  tiny: `byte-level, d 128, 4 layers, ${formatParams(837_248)} params — minutes on a CPU`,
  small: 'byte-level, d 256, 6 layers',
};

/**
 * A built-in preset or a pretrained folder, checked as it is picked: a folder that is not a
 * complete Llama/Qwen2 model says what is missing and the question is asked again.
 */
async function pickModel(title: string, defaultUri: vscode.Uri): Promise<ModelChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: ModelChoice };
  const items: Item[] = [
    ...MODEL_PRESETS.map((p) => ({ label: p, description: PRESET_DESCRIPTIONS[p], choice: { preset: p } })),
    {
      label: 'Model folder…',
      description: 'a pretrained Hugging Face Llama or Qwen2 model (config.json, safetensors, tokenizer.json)',
    },
  ];
  let placeHolder = 'a built-in model, or a pretrained one from disk';
  for (;;) {
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true });
    if (!pick) return undefined;
    if (pick.choice) return pick.choice;
    const chosen = await vscode.window.showOpenDialog({
      title: `${title}: model folder`,
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri,
    });
    if (!chosen?.[0]) continue;
    const check = checkModelFolder(chosen[0].fsPath);
    if (check.ok) return { folder: check.info.dir };
    placeHolder = `${path.basename(chosen[0].fsPath)}: ${check.problem}. Pick again.`;
    void vscode.window.showWarningMessage(`Not a model folder the trainer can use: ${check.problem}.`);
  }
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
  const model = await pickModel('New Run Config (3/5): model', folder.uri);
  if (!model) return undefined;
  const modelName = 'folder' in model ? path.basename(model.folder) : model.preset;
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
    `${path.basename(train.fsPath).replace(/\.parallel\.jsonl$|\.jsonl$/, '')}-${modelName}-l${lambdaText.trim()}`.replace(
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
    model,
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
