/**
 * Parsers for ffmpeg's stderr (pure). `showinfo` prints one line per frame:
 * `[Parsed_showinfo_1 @ 0x5581] n:   3 pts:  12288 pts_time:0.8  duration: ...`
 */
const SHOWINFO = /\bn:\s*(\d+)\s+pts:\s*(-?\d+)\s+pts_time:\s*(-?[\d.]+(?:e[-+]?\d+)?)/i;

/** The frame index and presentation time (ms) of a showinfo line, or null for other lines. */
export function parseShowinfoLine(line: string): { n: number; ptsMs: number } | null {
  const m = SHOWINFO.exec(line);
  if (!m) return null;
  const ptsMs = Number(m[3]) * 1000;
  return Number.isFinite(ptsMs) ? { n: Number(m[1]), ptsMs } : null;
}

/** Splits a stderr stream into lines (ffmpeg ends lines with \n, progress with \r). */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split(/\r?\n|\r/);
    this.rest = lines.pop() ?? '';
    return lines;
  }

  flush(): string[] {
    const last = this.rest;
    this.rest = '';
    return last ? [last] : [];
  }
}
