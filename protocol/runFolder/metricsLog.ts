// metrics.jsonl: append-only, one complete JSON event per line. Writers start on a fresh
// line when the previous writer died mid-line; readers validate every line with the
// protocol schema and treat a torn last line (a writer killed mid-write, or a read that
// lands mid-write) as not yet there.
import * as fs from 'node:fs';
import { fromZodError, InputError } from '../errors';
import { MetricEvent } from '../metrics';
import { runFile } from './names';

export interface ParsedLines {
  events: MetricEvent[];
  /** Lines that are not valid events, each naming file and line. */
  problems: InputError[];
}

/** Parse complete lines (no trailing partial line) starting at 1-based line `firstLine`. */
export function parseMetricLines(lines: string[], file: string, firstLine = 1): ParsedLines {
  const events: MetricEvent[] = [];
  const problems: InputError[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const at = firstLine + i;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      problems.push(new InputError({ file, line: at }, `one JSON event per line (${(e as Error).message})`));
      return;
    }
    const r = MetricEvent.safeParse(value, { reportInput: true });
    if (r.success) events.push(r.data);
    else problems.push(fromZodError(r.error, file, at));
  });
  return { events, problems };
}

/**
 * Follows a metrics.jsonl: each poll reads only the bytes added since the last one and
 * keeps a trailing partial line for the next poll. A file that shrank was replaced: it
 * is read again from the start.
 */
export class MetricsReader {
  private offset = 0;
  private partial = '';
  private lineNo = 1;
  /** Every invalid line met so far. */
  readonly problems: InputError[] = [];

  constructor(readonly file: string) {}

  /** New valid events since the last poll (none when the file does not exist yet). */
  poll(): MetricEvent[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return [];
    }
    let text: string;
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) {
        this.offset = 0;
        this.partial = '';
        this.lineNo = 1;
      }
      if (size === this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      text = buf.subarray(0, n).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const parsed = parseMetricLines(lines, this.file, this.lineNo);
    this.lineNo += lines.length;
    this.problems.push(...parsed.problems);
    return parsed.events;
  }

  /** The unfinished last line, if any (a torn line when the writer is gone). */
  get pending(): string {
    return this.partial;
  }
}

/**
 * Every event of a metrics file (a missing file has none) and its invalid lines. A torn
 * last line is not a problem: its writer died mid-write or is still writing. A torn line
 * followed by more events (a run killed mid-write, then resumed) is one invalid line.
 */
export function readMetrics(file: string): ParsedLines {
  const reader = new MetricsReader(file);
  const events = reader.poll();
  return { events, problems: reader.problems };
}

/** An open metrics.jsonl for appending whole lines (the trainer keeps one per run). */
export class MetricsLog {
  private readonly fd: number;

  constructor(dir: string) {
    const file = runFile(dir, 'metrics');
    this.fd = fs.openSync(file, 'a+');
    // A writer killed mid-line left a torn last line: start on a fresh line so our first
    // event is not glued to it (the torn fragment then reads as one invalid line).
    const size = fs.fstatSync(this.fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(this.fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) fs.writeSync(this.fd, '\n');
    }
  }

  append(event: MetricEvent): void {
    // One write call per line: with O_APPEND, concurrent readers see whole lines or none.
    fs.writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Append one event to a run's metrics.jsonl (opens and closes it). */
export function appendEvent(dir: string, event: MetricEvent): void {
  const log = new MetricsLog(dir);
  try {
    log.append(event);
  } finally {
    log.close();
  }
}
