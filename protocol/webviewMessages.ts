// Messages between the extension host and the webviews (the sidebar Metrics view and the
// per-run Metrics panel). Both directions are validated where they arrive (a webview is
// another process and may run stale code). The webview says `ready` first; the host posts
// nothing before that. A panel gets one `snapshot` (everything so far), then `events`
// deltas with only what was appended, so a live run never resends its history.
import { z } from 'zod';
import { LanguageCode } from './dataset';
import { MetricEvent } from './metrics';
import { RunInfo } from './runInfo';

/** What a panel needs of the run's config to draw it (the config itself stays on the host). */
export const PanelConfig = z.object({
  pivot: LanguageCode,
  /** Languages reported as low-resource: marked in the charts. */
  lowResource: z.array(LanguageCode),
});
export type PanelConfig = z.infer<typeof PanelConfig>;

export const HostToWebview = z.discriminatedUnion('type', [
  /** The run the sidebar view follows (null: none selected). */
  z.object({ type: z.literal('run'), run: RunInfo.nullable() }),
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
]);
export type HostToWebview = z.infer<typeof HostToWebview>;

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A button in the view asks for a palette command on the shown run. */
  z.object({
    type: z.literal('command'),
    command: z.enum(['solar.stopRun', 'solar.resumeRun', 'solar.showLog']),
    runDir: z.string(),
  }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;
