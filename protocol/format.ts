// How durations in run files (status.json `etaSec`) are shown, the same in the
// terminal progress line, the status bar and the Runs tree.

/** 42 -> "42s", 83 -> "1m23s", 4000 -> "1h06m"; undefined or non-finite -> "?". */
export function formatDuration(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
