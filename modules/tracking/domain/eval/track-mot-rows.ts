import { ByteTracker } from '../mot/byte-tracker';
import { Detections } from '../mot/detections';
import { groupRowsByFrame, type MotRow } from './mot-challenge.parser';

/** Options of {@link trackMotRows}. */
export interface TrackMotRowsOptions {
  /** Last frame to process; default the largest frame among the rows. Frames without rows still advance the tracker. */
  readonly lastFrame?: number;
  /** First frame; default 1 (MOTChallenge frames are 1-based). */
  readonly firstFrame?: number;
}

/**
 * Runs a tracker over MOTChallenge-format detections (`frame,-1,x,y,w,h,score`) and returns
 * MOTChallenge results (`frame,trackId,x,y,w,h,score`, Kalman-filtered boxes), so the tracker
 * can be compared with others on the same detections.
 */
export function trackMotRows(detections: readonly MotRow[], tracker: ByteTracker, options: TrackMotRowsOptions = {}): MotRow[] {
  const byFrame = groupRowsByFrame(detections);
  let last = options.lastFrame ?? 0;
  if (options.lastFrame === undefined) for (const f of byFrame.keys()) last = Math.max(last, f);
  const out: MotRow[] = [];
  for (let frame = options.firstFrame ?? 1; frame <= last; frame++) {
    const rows = byFrame.get(frame) ?? [];
    const update = tracker.update(
      Detections.create({
        boxes: rows.flatMap((r) => [r.x, r.y, r.x + r.w, r.y + r.h]),
        scores: rows.map((r) => Math.min(1, Math.max(0, r.score))),
      }),
    );
    for (const t of update.tracks) {
      const [x1, y1, x2, y2] = t.box;
      out.push({ frame, id: t.trackId, x: x1, y: y1, w: x2 - x1, h: y2 - y1, score: t.score });
    }
  }
  return out;
}
