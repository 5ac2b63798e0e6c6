// A trainer error as a notification whose cause is one click away: when the trainer's
// message names a place (`FILE:LINE …`, protocol/errors formatLocation) in a file on disk,
// the notification offers "Open NAME:LINE", which opens the text editor at that line (the
// text view, where a dataset's diagnostics are; the grid cannot select a line), beside
// "Show Log". Used for failed runs, evaluations, comparisons and the dataset commands.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Place, placeIn } from './datasetCommandArgs';

/** Open the text editor at the place's line (a custom editor's tab stays open beside it). */
export async function openPlace(place: Place): Promise<void> {
  const line = Math.max(0, place.line - 1);
  await vscode.window.showTextDocument(vscode.Uri.file(place.file), {
    selection: new vscode.Range(line, 0, line, 0),
    preview: false,
  });
}

/**
 * Show `title: message` as an error, with "Open NAME:LINE" when the message names a place
 * and "Show Log"; resolves when the user has picked (or dismissed) it.
 */
export async function showTrainerError(
  title: string,
  message: string,
  log: vscode.LogOutputChannel,
  base?: string,
): Promise<void> {
  const place = placeIn(message, base);
  const open = place ? `Open ${path.basename(place.file)}:${place.line}` : undefined;
  const pick = await vscode.window.showErrorMessage(`${title}: ${message}`, ...(open ? [open] : []), 'Show Log');
  if (place && pick === open) await openPlace(place);
  else if (pick === 'Show Log') log.show(true);
}
