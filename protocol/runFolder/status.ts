// status.json and launch.json: reading them validated (a half-written or foreign file is
// a problem to show, never an exception), and writing them atomically. status.json has
// one writer, the trainer; launch.json one too, the extension that launched it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { RunStatus } from '../metrics';
import { writeJsonAtomic } from './files';
import { runFile } from './names';

/** How the extension started a trainer on this folder, and, once it exited badly, why. */
export const LaunchRecord = z.object({
  pid: z.number().int(),
  startedAt: z.string(),
  node: z.string(),
  args: z.array(z.string()),
  /** Set when the launch failed or the trainer exited without success: one line saying why. */
  failure: z.object({ message: z.string(), at: z.string() }).optional(),
});
export type LaunchRecord = z.infer<typeof LaunchRecord>;

export interface Read<T> {
  value?: T;
  /** Why the file could not be used ("status.json: field "step" …"); absent when it is missing. */
  problem?: string;
}

/** A JSON file of the run folder validated with `schema`; a missing file is neither value nor problem. */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>): Read<T> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const r = schema.safeParse(JSON.parse(text));
    if (r.success) return { value: r.data };
    const issue = r.error.issues[0];
    return { problem: `${path.basename(file)}: field "${issue?.path.join('.')}" ${issue?.message ?? 'is invalid'}` };
  } catch (e) {
    return { problem: `${path.basename(file)}: ${(e as Error).message}` };
  }
}

export function readStatus(dir: string): Read<RunStatus> {
  return readJsonFile(runFile(dir, 'status'), RunStatus);
}

/** The trainer's status.json, rewritten whole (readers see the old or the new one). */
export function writeStatus(dir: string, status: RunStatus): void {
  writeJsonAtomic(runFile(dir, 'status'), status);
}

export function readLaunchRecord(dir: string): Read<LaunchRecord> {
  return readJsonFile(runFile(dir, 'launch'), LaunchRecord);
}

export function writeLaunchRecord(dir: string, record: LaunchRecord): void {
  writeJsonAtomic(runFile(dir, 'launch'), record);
}
