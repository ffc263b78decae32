import { z } from 'zod';
import { MotionError, MotionErrorCode } from './motion.error';
import { COCO_17_LENGTH, type MotionKeypoint, type PoseSeries } from './pose-series';

/**
 * Reads one athlete's {@link PoseSeries} from the lines of a batch output file
 * (`modules/tracking/pipeline/batch-video.processor.ts`: a header with the video's fps, one
 * line per decoded frame in `seq` order with its tracks and smoothed keypoints, or the reason it
 * was dropped, then track summaries). The lines are parsed JSON from a file, so they are
 * validated here, at the edge; unknown line types and fields are ignored.
 *
 * Frames are placed by `seq` (the file source numbers every decoded frame from 0), so a dropped
 * frame or a frame without the athlete becomes a gap (null), never a shift in time.
 */

const keypointSchema = z.object({ x: z.number(), y: z.number(), score: z.number() });
const headerSchema = z.object({ type: z.literal('header'), fps: z.number().positive().optional() });
const frameSchema = z.object({
  type: z.literal('frame'),
  seq: z.number().int().nonnegative().nullable(),
  tracks: z
    .array(z.object({ trackId: z.number().int(), keypoints: z.array(keypointSchema), box: z.object({ width: z.number(), height: z.number() }).optional() }))
    .optional(),
});

/** Options of {@link poseSeriesFromBatchLines}. */
export interface BatchPoseSeriesOptions {
  /**
   * The athlete's track. Default: the main person, in each frame the largest one (the athlete
   * nearest the camera), whatever their track id: a tracker that loses a crouched athlete for a
   * frame gives them a new id, and a coaching clip has one athlete in front.
   */
  readonly trackId?: number;
  /** Frame rate when the header has none (a video whose rate ffprobe could not read). */
  readonly fps?: number;
}

/** The chosen track's COCO-17 keypoints per decoded frame; throws {@link MotionError} INVALID_BATCH_FILE. */
export function poseSeriesFromBatchLines(
  lines: readonly unknown[],
  options: BatchPoseSeriesOptions = {},
): { series: PoseSeries; trackId: number; candidateTrackIds: number[] } {
  let fps = options.fps;
  const frames = new Map<number, Map<number, MotionKeypoint[]>>();
  const largest = new Map<number, { trackId: number; area: number }>();
  let lastSeq = -1;
  lines.forEach((line, i) => {
    const type = typeof line === 'object' && line !== null ? (line as { type?: unknown }).type : undefined;
    if (type === 'header') {
      const header = headerSchema.safeParse(line);
      if (!header.success) throw new MotionError(MotionErrorCode.INVALID_BATCH_FILE, `line ${i + 1}: invalid header: ${header.error.message}`);
      fps = header.data.fps ?? fps;
    } else if (type === 'frame') {
      const frame = frameSchema.safeParse(line);
      if (!frame.success) throw new MotionError(MotionErrorCode.INVALID_BATCH_FILE, `line ${i + 1}: invalid frame: ${frame.error.message}`);
      const { seq, tracks } = frame.data;
      if (seq === null) return;
      lastSeq = Math.max(lastSeq, seq);
      const byTrack = new Map<number, MotionKeypoint[]>();
      for (const t of tracks ?? []) {
        if (t.keypoints.length !== COCO_17_LENGTH) continue;
        byTrack.set(t.trackId, t.keypoints);
        const area = t.box ? t.box.width * t.box.height : 0;
        if (area > (largest.get(seq)?.area ?? -1)) largest.set(seq, { trackId: t.trackId, area });
      }
      frames.set(seq, byTrack);
    }
  });
  if (fps === undefined) throw new MotionError(MotionErrorCode.INVALID_BATCH_FILE, 'the file has no fps in its header and none was given');
  // Every person seen, most frames first: the first is the main track (the athlete is the one
  // the camera follows longest), the rest are offered to choose from.
  const candidateTrackIds = tracksByFrames(frames);
  if (candidateTrackIds.length === 0) throw new MotionError(MotionErrorCode.NO_PERSON_TRACKED, 'nobody was tracked with 17 keypoints in any frame');
  const series: (MotionKeypoint[] | null)[] = [];
  if (options.trackId === undefined) {
    // The main person: the largest in each frame; reported under the id they carry most often.
    const ids = new Map<number, number>();
    for (let seq = 0; seq <= lastSeq; seq += 1) {
      const main = largest.get(seq);
      series.push(main ? (frames.get(seq)?.get(main.trackId) ?? null) : null);
      if (main) ids.set(main.trackId, (ids.get(main.trackId) ?? 0) + 1);
    }
    const trackId = [...ids].sort((a, b) => b[1] - a[1])[0]?.[0] ?? candidateTrackIds[0] ?? 0;
    return { series: { fps, frames: series }, trackId, candidateTrackIds };
  }
  const trackId = options.trackId;
  if (!candidateTrackIds.includes(trackId)) {
    throw new MotionError(MotionErrorCode.TRACK_NOT_FOUND, `track ${trackId} is not in the video; tracks seen: ${candidateTrackIds.join(', ')}`, { trackId, candidateTrackIds });
  }
  for (let seq = 0; seq <= lastSeq; seq += 1) series.push(frames.get(seq)?.get(trackId) ?? null);
  return { series: { fps, frames: series }, trackId, candidateTrackIds };
}

function tracksByFrames(frames: ReadonlyMap<number, ReadonlyMap<number, unknown>>): number[] {
  const counts = new Map<number, number>();
  for (const byTrack of frames.values()) for (const id of byTrack.keys()) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([id]) => id);
}
