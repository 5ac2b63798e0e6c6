// The webview's handle on VS Code. acquireVsCodeApi may be called only once per page, so
// every view takes it from here.
import type { WebviewToHost } from '../protocol/webviewMessages';

export interface VsCodeApi {
  postMessage(msg: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

export function vscodeApi(): VsCodeApi {
  api ??= acquireVsCodeApi();
  return api;
}
