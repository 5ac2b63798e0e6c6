// Run ids, part of the run-folder contract: `<name>-<YYYYMMDD-HHMMSS>` (UTC), where the
// name is the config's `name` or else its file name. The trainer and the extension both
// create run folders, so both name them here.

/** "demo" + 2026-11-23T12:15:18Z -> "demo-20261123-121518". */
export function runId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${name}-${stamp}`;
}

/** The default run name of a config file name: "demo.solar.json" -> "demo". */
export function runNameFromConfigFile(fileName: string): string {
  return fileName.replace(/\.solar\.json$|\.json$/, '') || 'run';
}
