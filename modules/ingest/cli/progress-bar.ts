/** Where the bar draws: a stream, TTY or not. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * A one-line progress bar for batch runs on stderr. On a TTY it redraws in place (at most every
 * `minIntervalMs`, default 100); elsewhere (CI logs, pipes) it prints one line per finished item
 * so logs stay readable.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = 0;
  private detail = '';
  private readonly tty: boolean;

  constructor(
    private readonly stream: ProgressStream,
    private total: number,
    private readonly minIntervalMs = 100,
  ) {
    this.tty = stream.isTTY === true;
  }

  /** Updates the in-progress detail (current item, frames). */
  update(detail: string): void {
    this.detail = detail;
    this.draw(false);
  }

  /** Counts one finished item and logs it. */
  tick(line: string): void {
    this.done += 1;
    if (this.done > this.total) this.total = this.done;
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${line}\n`);
      this.draw(true);
    } else {
      this.stream.write(`[${this.done}/${this.total}] ${line}\n`);
    }
  }

  /** Ends the bar (clears the line on a TTY). */
  finish(): void {
    if (this.tty) this.stream.write('\r\x1b[2K');
  }

  private draw(force: boolean): void {
    if (!this.tty) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < this.minIntervalMs) return;
    this.lastDraw = now;
    const width = 24;
    const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
    const head = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}`;
    const line = `${head} ${this.detail}`.slice(0, Math.max(20, (this.stream.columns ?? 100) - 1));
    this.stream.write(`\r\x1b[2K${line}`);
  }
}
