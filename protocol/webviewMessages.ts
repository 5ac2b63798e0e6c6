// Messages between the extension host and the webviews (the sidebar Metrics view and the
// per-run Metrics panel). Both directions are validated where they arrive (a webview is
// another process and may run stale code). The webview says `ready` first; the host posts
// nothing before that. A panel gets one `snapshot` (everything so far), then `events`
// deltas with only what was appended, so a live run never resends its history.
import { z } from 'zod';
import { LanguageCode } from './dataset';
import { EvalReport } from './evalReport';
import { EvalEvent, MetricEvent } from './metrics';
import { RunInfo } from './runInfo';

/** What a panel needs of the run's config to draw it (the config itself stays on the host). */
export const PanelConfig = z.object({
  pivot: LanguageCode,
  /** Languages reported as low-resource: marked in the charts. */
  lowResource: z.array(LanguageCode),
});
export type PanelConfig = z.infer<typeof PanelConfig>;

/** A saved full evaluation in the run's evals/ folder (`solar eval`). */
export const EvalFileInfo = z.object({
  /** The file name inside evals/, e.g. `gsm-step-000150.json`; what a `request` names. */
  name: z.string(),
  /** The eval data's name (the data file without `.parallel.jsonl`). */
  data: z.string(),
  /** The checkpoint step evaluated. */
  step: z.number().int().min(0),
  /** Last modified (ms since 1970): a re-evaluation rewrites the same name. */
  mtimeMs: z.number(),
});
export type EvalFileInfo = z.infer<typeof EvalFileInfo>;

/**
 * The sidebar's glance at a run, small whatever the run's length (so it is resent whole):
 * its training loss thinned to at most a few hundred points, and the latest evaluation's
 * headline figures.
 */
export const RunGlance = z.object({
  /** Training loss over steps, ascending (bucket means when the run has more steps than points). */
  loss: z.array(z.object({ step: z.number(), value: z.number() })),
  lastEval: EvalEvent.pick({
    step: true,
    accuracyMean: true,
    accuracyLowResource: true,
    similarity: true,
  }).optional(),
});
export type RunGlance = z.infer<typeof RunGlance>;

export const HostToWebview = z.discriminatedUnion('type', [
  /** The run the sidebar view follows (null: none selected), with its glance when it has events. */
  z.object({ type: z.literal('run'), run: RunInfo.nullable(), glance: RunGlance.optional() }),
  /** Panel: the whole run so far; replaces anything the page held. */
  z.object({
    type: z.literal('snapshot'),
    run: RunInfo,
    /** null when config.json is missing or unreadable (the charts still draw). */
    config: PanelConfig.nullable(),
    events: z.array(MetricEvent),
  }),
  /** Panel: events appended since the last message, and the run's latest status. */
  z.object({ type: z.literal('events'), run: RunInfo.optional(), events: z.array(MetricEvent) }),
  /** Panel: the run's saved evaluations, newest step first; on request and whenever the list changes. */
  z.object({
    type: z.literal('evalFiles'),
    files: z.array(EvalFileInfo),
    /** A file of `files` for the Generations card to show now (Evaluate Checkpoint just saved it). */
    select: z.string().optional(),
  }),
  /** Panel: the saved evaluation a `request` named, or why it could not be read. */
  z.object({
    type: z.literal('evalReport'),
    name: z.string(),
    report: EvalReport.optional(),
    error: z.string().optional(),
  }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;

export const EXPORT_FORMATS = ['svg', 'png', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** The most characters an export's `data` may have (a panel chart's PNG is well under 1 MB). */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;
/** A PNG file's first 8 bytes (its signature); png data must decode to a file starting with them. */
const PNG_SIGNATURE = '\x89PNG\r\n\x1a\n';

/**
 * Panel: save a chart (svg, png) or the run's metrics (csv). The webview cannot write
 * files; the host asks where (a save dialog starting in the run folder) and writes `data`.
 */
export const ExportMessage = z
  .object({
    type: z.literal('export'),
    format: z.enum(EXPORT_FORMATS),
    /** A bare file name, no folders, ending in `.<format>`: the save dialog's suggestion. */
    fileName: z
      .string()
      .max(120)
      .regex(/^[\p{L}\p{N}_-][\p{L}\p{N}_. -]*$/u, 'a file name without folders'),
    /** The file: text for svg and csv, base64 for png. */
    data: z.string().min(1).max(MAX_EXPORT_CHARS),
  })
  .refine((m) => m.fileName.toLowerCase().endsWith(`.${m.format}`), {
    message: 'the file name ends with the format',
    path: ['fileName'],
  })
  .refine((m) => m.format !== 'png' || (/^[A-Za-z0-9+/]+={0,2}$/.test(m.data) && isPng(m.data)), {
    message: 'png data is base64 of a PNG file',
    path: ['data'],
  });
export type ExportMessage = z.infer<typeof ExportMessage>;

function isPng(base64: string): boolean {
  try {
    return atob(base64.slice(0, 12)).startsWith(PNG_SIGNATURE);
  } catch {
    return false;
  }
}

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A button in the view asks for a palette command on the shown run. */
  z.object({
    type: z.literal('command'),
    command: z.enum([
      'solar.stopRun',
      'solar.resumeRun',
      'solar.showLog',
      'solar.openMetrics',
      'solar.evaluateCheckpoint',
    ]),
    runDir: z.string(),
  }),
  /** Panel: ask for the list of saved evaluations, or one of them by file name. */
  z.object({
    type: z.literal('request'),
    request: z.discriminatedUnion('what', [
      z.object({ what: z.literal('evalFiles') }),
      z.object({ what: z.literal('evalReport'), name: z.string() }),
    ]),
  }),
  ExportMessage,
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

/**
 * What the host needs of a Metrics panel's saved webview state (vscode.setState) to
 * restore the panel after a reload: its run folder. The page keeps more (toggles, zoom);
 * only this part is read by the host, and validated when it is.
 */
export const PanelRestoreState = z.object({ runDir: z.string().min(1) });
export type PanelRestoreState = z.infer<typeof PanelRestoreState>;
