// The one page every SOLAR webview loads: strict CSP (nothing inline, the script is
// dist/webview.js with a fresh nonce, styles only from media/), and a root element whose
// data-view tells the shared bundle which view to draw.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export type WebviewKind = 'metrics' | 'panel' | 'compare' | 'dataset';

/** Resource roots a SOLAR webview may load from: the bundle and the stylesheets, nothing else. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')];
}

export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  view: WebviewKind,
  title: string,
  styles: string[] = ['webview.css'],
): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const links = styles
    .map((s) => `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', s))}">`)
    .join('\n');
  // img-src allows data: for one thing: a chart exported as PNG is its SVG loaded into an
  // <img> from a data: URL and drawn into a canvas (webview/panel/exportButtons.ts). Images
  // from anywhere else stay refused; scripts and styles are unaffected.
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; img-src ${webview.cspSource} data:; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${links}
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="root" data-view="${view}"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
