/** Where the bar draws: a stream, TTY or not. */
export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * A one-line progress bar for batch runs on stderr. On a TTY it redraws in place (at most every
 * `minIntervalMs`, default 100); elsewhere (CI logs, pipes) it draws nothing and {@link log}
 * prints one `[done/total] ...` line per finished item, so logs stay readable.
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

  /** Sets how many items are finished out of how many (the server's counts are the truth). */
  set(done: number, total: number): void {
    this.done = done;
    this.total = Math.max(total, done);
    this.draw(false);
  }

  /** Updates the in-progress detail (current item, frames). */
  update(detail: string): void {
    this.detail = detail;
    this.draw(false);
  }

  /** Prints one finished item's line above the bar. */
  log(line: string): void {
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
