// Export from the panel: a card's heading with SVG and PNG buttons, and the Export CSV
// button. The webview cannot write files, so each export is an `export` message (validated
// here too, so a file too large says so in the panel rather than in the host's log); the
// host asks where to save it. PNG: the exported SVG drawn into a canvas at twice its size.
import { type ExportFormat, WebviewToHost } from '../../protocol/webviewMessages';
import { button as controlButton } from '../controls';
import { h } from '../dom';
import { type ExportedSvg, exportSvg } from './exportChart';

export interface Exporter {
  post(msg: WebviewToHost): void;
  /** The run's id (file names start with it) and name (exported titles say it). */
  run(): { id: string; name: string } | undefined;
}

/** A card's heading: its title and buttons exporting what `charts()` returns as it is drawn. */
export function cardHead(
  title: HTMLElement,
  exporter: Exporter,
  name: string,
  charts: () => SVGSVGElement[],
): HTMLElement {
  const status = h('span', '', 'export-status muted');
  const save = async (format: 'svg' | 'png') => {
    const shown = charts();
    if (!shown.length) {
      status.textContent = 'Nothing drawn yet.';
      return;
    }
    const run = exporter.run();
    // One chart: its accessible name says what it shows (and at which step); several: the card's title.
    const what = (shown.length === 1 && shown[0].getAttribute('aria-label')) || title.textContent;
    const file = exportSvg(shown, [run?.name, what].filter(Boolean).join(' · '));
    const data = format === 'svg' ? file.text : await svgToPng(file);
    sendExport(exporter, format, `${fileStem(run?.id)}-${name}.${format}`, data, status);
  };
  const button = (format: 'svg' | 'png') => {
    const label = format.toUpperCase();
    const b = controlButton(
      label,
      'export-button',
      { 'data-format': format, title: `Save this chart as ${label}…` },
      true,
    );
    b.setAttribute('aria-label', `Save ${title.textContent} as ${label}`);
    b.addEventListener('click', () => {
      status.textContent = '';
      save(format).catch((e: unknown) => {
        status.textContent = `Export failed: ${e instanceof Error ? e.message : String(e)}`;
      });
    });
    return b;
  };
  const tools = h('div', undefined, 'export-tools');
  tools.append(status, button('svg'), button('png'));
  const head = h('div', undefined, 'card-head');
  head.append(title, tools);
  return head;
}

/** The Export CSV button; `csv()` builds the file when it is clicked. */
export function csvButton(exporter: Exporter, csv: () => string): HTMLElement {
  const status = h('span', '', 'export-status muted');
  const b = controlButton('Export CSV', 'export-csv', { title: "Save the run's metrics as CSV…" }, true);
  b.addEventListener('click', () => {
    status.textContent = '';
    sendExport(exporter, 'csv', `${fileStem(exporter.run()?.id)}-metrics.csv`, csv(), status);
  });
  const tools = h('div', undefined, 'export-tools');
  tools.append(status, b);
  return tools;
}

function sendExport(exporter: Exporter, format: ExportFormat, fileName: string, data: string, status: HTMLElement) {
  const r = WebviewToHost.safeParse({ type: 'export', format, fileName, data });
  if (!r.success) {
    status.textContent = `Export failed: ${r.error.issues[0]?.message ?? 'invalid'}`;
    return;
  }
  exporter.post(r.data);
}

/** A file name part from a run id: letters, digits, `_`, `.`, `-` only (the message's rule). */
export function fileStem(id: string | undefined): string {
  const s = (id ?? '').replace(/[^\p{L}\p{N}_.-]+/gu, '-').replace(/^[.-]+/, '');
  return s.slice(0, 80) || 'run';
}

/** A PNG of an exported SVG, base64 (no data: prefix), drawn at `scale` times its size. */
export async function svgToPng(file: ExportedSvg, scale = 2): Promise<string> {
  const img = new Image();
  // A data: URL: the panel's CSP allows data: images for this (extension/webviewHtml.ts).
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(file.text)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(file.width * scale);
  canvas.height = Math.ceil(file.height * scale);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2D canvas');
  g.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
