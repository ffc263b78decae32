import { MotError, MotErrorCode } from '../mot/mot.error';

/** One row of a MOTChallenge CSV file (`frame,id,x,y,w,h,conf,...`), box as top-left + size. */
export interface MotRow {
  readonly frame: number;
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Column 7; 1 when the file has only six columns. */
  readonly score: number;
}

/** Options of {@link parseMotChallenge}. */
export interface MotParseOptions {
  /**
   * Rows whose confidence is below this are dropped. Default `-Infinity` (keep all). For
   * ground truth, py-motmetrics uses 1 (MOT16+ marks ignored boxes with 0).
   */
  readonly minConfidence?: number;
  /** File name used in error messages. */
  readonly source?: string;
}

/**
 * Parses MOTChallenge CSV text (MOT15/16/17/20 layouts; extra columns ignored). Blank lines
 * and lines starting with `#` are skipped; rows keep file order, which decides tie-breaks
 * during evaluation just as in py-motmetrics.
 */
export function parseMotChallenge(text: string, options: MotParseOptions = {}): MotRow[] {
  const minConfidence = options.minConfidence ?? -Infinity;
  const source = options.source ?? 'input';
  const rows: MotRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s*[,\s]\s*/);
    if (fields.length < 6) {
      throw new MotError(MotErrorCode.INVALID_MOT_FILE, `${source}:${n + 1}: expected at least 6 comma-separated fields (frame,id,x,y,w,h), got ${fields.length}`, { source, line: n + 1 });
    }
    const values = fields.slice(0, 7).map(Number);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new MotError(MotErrorCode.INVALID_MOT_FILE, `${source}:${n + 1}: field ${bad + 1} to be a number, but got '${fields[bad]}'`, { source, line: n + 1 });
    }
    const [frame, id, x, y, w, h, score = 1] = values as [number, number, number, number, number, number, number?];
    if (!Number.isInteger(frame) || w < 0 || h < 0) {
      throw new MotError(MotErrorCode.INVALID_MOT_FILE, `${source}:${n + 1}: expected an integer frame and non-negative w,h`, { source, line: n + 1 });
    }
    if (score < minConfidence) continue;
    rows.push({ frame, id, x, y, w, h, score });
  }
  return rows;
}

/** Formats rows as MOTChallenge CSV (`frame,id,x,y,w,h,score,-1,-1,-1`), one per line. */
export function formatMotChallenge(rows: Iterable<MotRow>, digits = 2): string {
  const out: string[] = [];
  const f = (v: number): string => String(Number(v.toFixed(digits)));
  for (const r of rows) out.push(`${r.frame},${r.id},${f(r.x)},${f(r.y)},${f(r.w)},${f(r.h)},${f(r.score)},-1,-1,-1`);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

/** Groups rows by frame, keeping file order within each frame. */
export function groupRowsByFrame(rows: Iterable<MotRow>): Map<number, MotRow[]> {
  const byFrame = new Map<number, MotRow[]>();
  for (const row of rows) {
    const list = byFrame.get(row.frame);
    if (list) list.push(row);
    else byFrame.set(row.frame, [row]);
  }
  return byFrame;
}
