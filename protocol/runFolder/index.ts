// The run folder, the contract between the trainer and every UI (README "Run folder"):
// this module is the only code that names, creates, reads or writes run files; the
// trainer and the extension both use it.
//   names.ts       file names, checkpoint names (numeric order), run ids and names
//   files.ts       atomic writes, a unique folder per run, checkpoint listing, the lock
//   status.ts      status.json (the trainer's) and launch.json (the extension's)
//   metricsLog.ts  metrics.jsonl: appending events, parsing and following lines
//   runInfo.ts     a folder read into the RunInfo every UI shows
//   contents.ts    a run read back whole, for analysis (`solar compare`)
export * from './contents';
export * from './files';
export * from './metricsLog';
export * from './names';
export * from './runInfo';
export * from './status';
