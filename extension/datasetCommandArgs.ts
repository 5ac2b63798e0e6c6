// The pure half of the dataset palette commands (datasetCommands.ts): the `solar data
// validate|generate` command lines, and what their output says (item counts, problems with
// the `file:line` they name, so the host can offer "Open"). vscode-free, so it is unit-tested.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CommandResult, commandFailure } from './trainerCommand';

/**
 * The languages `solar data generate` renders (trainer/data/generate GENERATOR_LANGUAGES, in
 * its order). Copied because the extension never imports trainer/ and protocol/ has no list;
 * a unit test keeps the two equal.
 */
export const GENERATOR_LANGUAGES: readonly string[] = Object.freeze([
  'en',
  'es',
  'fr',
  'de',
  'ru',
  'zh',
  'ja',
  'th',
  'bn',
  'te',
  'sw',
  'yo',
]);

/** The generator's pivot: every item carries it, whatever else is picked. */
export const GENERATOR_PIVOT = 'en';

/** Items a palette generation may ask for: enough for any experiment, small enough to open. */
export const MAX_GENERATE_COUNT = 100_000;

export interface GenerateRequest {
  count: number;
  languages: readonly string[];
  /** Absolute path of the `*.parallel.jsonl` to write. */
  out: string;
}

/** A problem the trainer reported, with the place it names when it names one (1-based line). */
export interface DatasetProblem {
  text: string;
  file?: string;
  line?: number;
}

export type CliOutcome =
  | { ok: true; stdout: string }
  | { ok: false; cancelled: boolean; message: string; stderr: string };

export type ValidateOutcome =
  | { ok: true; items: number; warnings: DatasetProblem[] }
  | { ok: false; cancelled: boolean; message: string; stderr: string; problem?: DatasetProblem };

export function validateArgs(trainerJs: string, file: string): string[] {
  return [trainerJs, 'data', 'validate', file];
}

export function generateArgs(trainerJs: string, req: GenerateRequest): string[] {
  const languages = [...new Set([GENERATOR_PIVOT, ...req.languages])];
  return [
    trainerJs,
    'data',
    'generate',
    '--out',
    req.out,
    '--count',
    String(req.count),
    '--languages',
    languages.join(','),
  ];
}

/** The input box's check of the item count: undefined when fine, else why not. */
export function countProblem(input: string): string | undefined {
  const t = input.trim();
  if (!/^\d+$/.test(t)) return 'a whole number of items';
  const n = Number(t);
  if (n < 1 || n > MAX_GENERATE_COUNT) return `between 1 and ${MAX_GENERATE_COUNT}`;
  return undefined;
}

/** A save-dialog path as a dataset: `x` -> `x.parallel.jsonl`, `x.jsonl` -> `x.parallel.jsonl`. */
export function withDatasetSuffix(file: string): string {
  if (file.endsWith('.parallel.jsonl')) return file;
  if (file.endsWith('.jsonl')) return `${file.slice(0, -'.jsonl'.length)}.parallel.jsonl`;
  return `${file}.parallel.jsonl`;
}

/**
 * The `file:line` a trainer message starts with (protocol/errors formatLocation: `FILE:LINE`
 * then ` (field "…")` or `: …`). Lazy, so a Windows drive (`C:\…`) stays in the file name.
 */
export function problemLocation(message: string): { file: string; line: number } | undefined {
  const m = /^\s*(.+?):(\d+)(?=$|[\s:(])/.exec(message);
  if (!m) return undefined;
  const line = Number(m[2]);
  return line >= 1 ? { file: m[1], line } : undefined;
}

export interface Place {
  /** Absolute path of the file the message names. */
  file: string;
  /** 1-based line. */
  line: number;
}

/**
 * The place `message` starts with, when it is a file that exists; a relative name is
 * taken against `base` (the file the command read) when given, else it is no place.
 */
export function placeIn(message: string, base?: string): Place | undefined {
  const at = problemLocation(message);
  if (!at) return undefined;
  const file = path.isAbsolute(at.file) ? at.file : base;
  if (!file || !fs.existsSync(file)) return undefined;
  return { file, line: at.line };
}

export function toProblem(text: string): DatasetProblem {
  return { text, ...problemLocation(text) };
}

/** A finished short CLI command: its stdout, or the trainer's reason it failed. */
export function readCliResult(r: CommandResult): CliOutcome {
  const failed = commandFailure(r);
  if (failed) return failed;
  return { ok: true, stdout: r.stdout };
}

/**
 * What `solar data validate FILE` said: `FILE: N items ok (…)` and its indented warnings
 * (`FILE:LINE (field "…"): …`), or the first error (with the place it names).
 */
export function readValidateResult(r: CommandResult): ValidateOutcome {
  const out = readCliResult(r);
  if (!out.ok) {
    const problem = out.cancelled ? undefined : toProblem(out.message);
    return { ...out, ...(problem?.line !== undefined ? { problem } : {}) };
  }
  const lines = out.stdout.split('\n');
  const counted = lines.map((l) => /: (\d+) items ok\b/.exec(l)?.[1]).find((n) => n !== undefined);
  if (counted === undefined)
    return { ok: false, cancelled: false, message: 'the trainer printed no item count', stderr: r.stderr };
  const warnings = lines
    .filter((l) => /^\s+\S/.test(l))
    .map((l) => l.trim())
    .filter((l) => problemLocation(l) !== undefined)
    .map(toProblem);
  return { ok: true, items: Number(counted), warnings };
}

/**
 * The file to open for a problem: the one it names when absolute (the CLI echoes the path it
 * was given, and the extension gives absolute ones), else the validated file.
 */
export function problemFile(problem: DatasetProblem, validated: string): string {
  return problem.file && path.isAbsolute(problem.file) ? problem.file : validated;
}
