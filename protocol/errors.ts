// One error type for every bad input that crosses a boundary: it always says
// where (file, line, field) and what was expected, so the CLI and the extension
// can print it verbatim. The CLI exits with code 2 on it.
import type { z } from 'zod';

export interface InputLocation {
  file: string;
  /** 1-based line number, when the input is line-oriented. */
  line?: number;
  /** Dotted path of the offending field, e.g. "langs.sw.prompt". */
  field?: string;
}

export class InputError extends Error {
  readonly location: InputLocation;
  readonly expected: string;
  constructor(location: InputLocation, expected: string) {
    super(formatLocation(location) + ': ' + expected);
    this.name = 'InputError';
    this.location = location;
    this.expected = expected;
  }
}

export function formatLocation(loc: InputLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.field) s += ` (field "${loc.field}")`;
  return s;
}

/** Turn the first zod issue into an InputError naming file, line and field. */
export function fromZodError(err: z.ZodError, file: string, line?: number): InputError {
  const issue = err.issues[0];
  const field = issue ? issue.path.map(String).join('.') : undefined;
  const what = issue ? describeIssue(issue) : 'valid input';
  return new InputError({ file, line, field: field || undefined }, what);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type') {
    const got = issue.input === undefined ? 'missing' : `got ${JSON.stringify(issue.input)}`;
    return `expected ${issue.expected} (${got})`;
  }
  return issue.message.startsWith('Invalid') ? issue.message : `expected ${issue.message}`;
}

/** Parse `value` with `schema`, or throw an InputError with the location. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string, line?: number): T {
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw fromZodError(r.error, file, line);
  return r.data;
}
