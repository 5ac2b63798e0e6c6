// A run's saved evaluations (evals/<data>-step-NNNNNN.json, written by `solar eval`) for
// the Metrics panel's Generations card: listing them, reading one by name (validated with
// protocol/evalReport.ts; a bad file is an error naming the file and field, never an
// exception in the extension host), and answering the page's `request` messages.
// vscode-free, so it is unit-tested; the panel owns an EvalFiles and polls it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, parseWith } from '../protocol/errors';
import { EvalReport } from '../protocol/evalReport';
import { checkpointStep, runFile } from '../protocol/runFolder';
import type { EvalFileInfo, HostToWebview, WebviewToHost } from '../protocol/webviewMessages';
import { Disposable } from './disposable';

type Request = Extract<WebviewToHost, { type: 'request' }>['request'];
type Post = (msg: HostToWebview) => void;

const NAME_RE = /^(.+)-(step-\d+)\.json$/;

/** "gsm-step-000150.json" -> { data: "gsm", step: 150 }; anything else (temp files, strays) -> null. */
export function parseEvalFileName(name: string): { data: string; step: number } | null {
  const m = NAME_RE.exec(name);
  const step = m ? checkpointStep(m[2]) : null;
  return m && step !== null ? { data: m[1], step } : null;
}

/** The run's saved evaluations, newest step first, then by data name; none without an evals/ folder. */
export function listEvalFiles(runDir: string): EvalFileInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(runFile(runDir, 'evals'));
  } catch {
    return [];
  }
  const out: EvalFileInfo[] = [];
  for (const name of names) {
    const parsed = parseEvalFileName(name);
    if (!parsed) continue;
    try {
      const st = fs.statSync(path.join(runFile(runDir, 'evals'), name));
      if (st.isFile()) out.push({ name, ...parsed, mtimeMs: st.mtimeMs });
    } catch {
      // Gone between readdir and stat: not listed.
    }
  }
  return out.sort((a, b) => b.step - a.step || a.data.localeCompare(b.data));
}

/**
 * Read and validate one saved evaluation. `name` comes from a webview, so it must be a
 * plain eval file name (no folder part): nothing outside evals/ can be read through it.
 * Throws an InputError naming the file (and the field, for a schema mismatch).
 */
export function readEvalFile(runDir: string, name: string): EvalReport {
  const dir = runFile(runDir, 'evals');
  if (path.basename(name) !== name || !parseEvalFileName(name)) {
    throw new InputError({ file: path.join(dir, name) }, 'an eval file name such as "gsm-step-000150.json"');
  }
  const file = path.join(dir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError({ file }, `a readable file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError({ file }, `JSON (${(e as Error).message})`);
  }
  return parseWith(EvalReport, json, file);
}

/** The answer to a page's request: the list, or the named report (or the error, said in words). */
export function answerRequest(runDir: string, request: Request): HostToWebview {
  if (request.what === 'evalFiles') return { type: 'evalFiles', files: listEvalFiles(runDir) };
  try {
    return { type: 'evalReport', name: request.name, report: readEvalFile(runDir, request.name) };
  } catch (e) {
    return { type: 'evalReport', name: request.name, error: (e as Error).message };
  }
}

/**
 * Serves one panel: answers its requests and, once the page has asked for the list,
 * sends it again whenever it changes (a `solar eval` finishing while the panel is open).
 */
export class EvalFiles extends Disposable {
  private lastList?: string;

  constructor(
    readonly runDir: string,
    private readonly post: Post,
  ) {
    super();
  }

  answer(request: Request): void {
    if (this.isDisposed) return;
    const msg = answerRequest(this.runDir, request);
    if (msg.type === 'evalFiles') this.lastList = JSON.stringify(msg.files);
    this.post(msg);
  }

  /** A readdir: cheap enough for the panel's once-a-second timer. */
  poll(): void {
    if (this.isDisposed || this.lastList === undefined) return;
    const files = listEvalFiles(this.runDir);
    const json = JSON.stringify(files);
    if (json === this.lastList) return;
    this.lastList = json;
    this.post({ type: 'evalFiles', files });
  }

  /** The page reloaded: it asks again before it is sent anything. */
  reset(): void {
    this.lastList = undefined;
  }
}
