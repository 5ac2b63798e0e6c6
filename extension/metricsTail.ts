// Follows a run's append-only metrics.jsonl: each poll reads only the bytes added since
// the last one, keeps a trailing partial line for the next poll (the trainer writes whole
// lines, but a read can land mid-write), and validates every line with the protocol
// schema. Invalid lines are counted and skipped, so one bad line never stops the stream.
import * as fs from 'node:fs';
import { MetricEvent, type EvalEvent, type TrainEvent } from '../protocol/metrics';

const KEEP_EVENTS = 500;

export function meanAccuracy(e: EvalEvent): number | undefined {
  const xs = Object.values(e.accuracy ?? {});
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined;
}

export class MetricsTail {
  private offset = 0;
  private partial = '';
  invalidLines = 0;
  lastTrain?: TrainEvent;
  lastEval?: EvalEvent;
  bestAccuracy?: number;
  /** The most recent events (bounded), for views that open late. */
  readonly recent: MetricEvent[] = [];

  constructor(readonly file: string) {}

  /** New valid events since the last poll. */
  poll(): MetricEvent[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return [];
    }
    try {
      const size = fs.fstatSync(fd).size;
      if (size < this.offset) {
        // Truncated or replaced: start over.
        this.offset = 0;
        this.partial = '';
      }
      if (size === this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const n = fs.readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      return this.consume(buf.subarray(0, n).toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  }

  private consume(text: string): MetricEvent[] {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const out: MetricEvent[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        this.invalidLines++;
        continue;
      }
      const r = MetricEvent.safeParse(parsed);
      if (!r.success) {
        this.invalidLines++;
        continue;
      }
      out.push(r.data);
      this.note(r.data);
    }
    return out;
  }

  private note(e: MetricEvent): void {
    this.recent.push(e);
    if (this.recent.length > KEEP_EVENTS) this.recent.splice(0, this.recent.length - KEEP_EVENTS);
    if (e.kind === 'train') this.lastTrain = e;
    if (e.kind === 'eval') {
      this.lastEval = e;
      const acc = meanAccuracy(e);
      if (acc !== undefined && (this.bestAccuracy === undefined || acc > this.bestAccuracy)) this.bestAccuracy = acc;
    }
  }
}
