// Messages between the extension host and the metrics webview. Both directions are
// validated where they arrive (a webview is another process and may run stale code).
// The webview says `ready` first; the host posts nothing before that.
import { z } from 'zod';
import { RunInfo } from './runInfo';

export const HostToWebview = z.discriminatedUnion('type', [
  /** The run the view follows (null: none selected). */
  z.object({ type: z.literal('run'), run: RunInfo.nullable() }),
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
