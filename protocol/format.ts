// How figures of run files are shown (status.json `etaSec`, accuracies), the same in the
// terminal progress line, the status bar, the Runs tree and the webviews.

/** 42 -> "42s", 83 -> "1m23s", 4000 -> "1h06m"; undefined or non-finite -> "?". */
export function formatDuration(sec: number | undefined): string {
  if (sec === undefined || !Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** 0.125 -> "12.5%" (accuracies are stored as 0..1); undefined -> "?". */
export function formatAccuracy(acc: number | undefined): string {
  return acc === undefined || !Number.isFinite(acc) ? '?' : `${(acc * 100).toFixed(1)}%`;
}
