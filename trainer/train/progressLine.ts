// The terminal progress line: step, loss, tokens/s and ETA. On a TTY it rewrites one
// line; in a pipe or log file it prints a line every ~5% of the run.
import { formatDuration } from '../../protocol/format';

export class ProgressLine {
  private readonly tty: boolean;
  private readonly every: number;
  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(out.isTTY);
    this.every = Math.max(1, Math.floor(total / 20));
  }

  step(step: number, loss: number, tokensPerSec: number, etaSec: number, extra = ''): void {
    if (this.quiet) return;
    const line = `step ${step}/${this.total} | loss ${loss.toFixed(4)}${extra} | ${Math.round(tokensPerSec)} tok/s | ETA ${formatDuration(etaSec)}`;
    if (this.tty) this.out.write(`\r\x1b[2K${line}`);
    else if (step % this.every === 0 || step === this.total || step === 1) this.out.write(line + '\n');
  }

  /** Print a full line (finishing the progress line first on a TTY). */
  message(text: string): void {
    if (this.quiet) return;
    this.out.write((this.tty ? '\r\x1b[2K' : '') + text + '\n');
  }
}
