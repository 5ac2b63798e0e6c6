// Messages between the extension host and the Compare Runs panel. Validated where they
// arrive, like every webview message (protocol/webviewMessages.ts has the Metrics ones).
// The page says `ready` first; the host then posts the whole comparison (`snapshot`), and
// again after each refresh. The comparison itself is `solar compare --json`'s CompareReport.
import { z } from 'zod';
import { CompareReport } from './compareReport';

export const CompareHostToWebview = z.discriminatedUnion('type', [
  /** The whole comparison; replaces anything the page showed. */
  z.object({
    type: z.literal('snapshot'),
    report: CompareReport,
    /** When `solar compare` ran (ISO time): a live run's figures are as of then. */
    comparedAt: z.string(),
  }),
  /** A refresh is under way, or failed (the last snapshot stays on show). */
  z.object({
    type: z.literal('progress'),
    state: z.enum(['comparing', 'failed', 'done']),
    message: z.string().optional(),
  }),
]);
export type CompareHostToWebview = z.infer<typeof CompareHostToWebview>;

export const CompareWebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** Run `solar compare` again on the same runs (e.g. while one is still training). */
  z.object({ type: z.literal('refresh') }),
  /** Open the Metrics panel of one of the compared runs. */
  z.object({ type: z.literal('openMetrics'), runDir: z.string() }),
]);
export type CompareWebviewToHost = z.infer<typeof CompareWebviewToHost>;

/** What the page keeps with setState that the host needs to reopen it after a reload. */
export const CompareRestoreState = z.object({
  /** The compared run folders, compared again on restore. */
  dirs: z.array(z.string()).min(1),
});
export type CompareRestoreState = z.infer<typeof CompareRestoreState>;
