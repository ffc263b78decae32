import path from 'node:path';
import {
  FileSource,
  IngestError,
  IngestErrorCode,
  JsonlGzWriter,
  type SourceFrame,
  type VideoProcessInput,
  type VideoProcessor,
  type VideoProcessResult,
} from '@trinetra/ingest';
import type { ControlPlane, DeliveredDetections } from '../application/control-plane.service';
import { CameraTrackingSession, type DetectionProvenance, type TrackSummary } from '../domain/session';
import { BatchOutputTally, batchOutputHeader, batchTrackLine } from './batch-output';
import { BATCH_PERCEPTION, trackerOptionsFor } from './frame-perception';
import { HeldFrameQueue } from './held-frame.queue';

export interface BatchVideoProcessorOptions {
  /** Fail a video when no frame was delivered for this long (no worker answering). Default 120000. */
  stallTimeoutMs?: number;
}

/**
 * Batch videos through the same path as live frames: decode (FileSource, as fast as the
 * pipeline takes them) -> control plane as a never-drop `BATCH` camera (dispatched after every
 * live tier, so imports never starve live cameras; looked at as SCENE, see BATCH_PERCEPTION) ->
 * tracker session -> output format v2 (batch-output.ts, docs/batch-output.md): a header line
 * (format, version, source, model, keypoint names, size, fps), one JSON line per frame with its
 * video time, provenance, tracks and smoothed keypoints (or the reason it was dropped), one line
 * per track (first/last seen in video time), and a summary line. The tracker runs on video
 * time (presentation timestamps), not on the wall clock of processing.
 * Decoding pauses whenever the pending buffer pushes back (the same {@link HeldFrameQueue} as
 * live never-drop cameras), so memory stays bounded whatever the video's length.
 */
export class BatchVideoProcessor implements VideoProcessor {
  private readonly stallTimeoutMs: number;

  constructor(
    private readonly controlPlane: ControlPlane,
    options: BatchVideoProcessorOptions = {},
  ) {
    this.stallTimeoutMs = options.stallTimeoutMs ?? 120_000;
  }

  async process(input: VideoProcessInput): Promise<VideoProcessResult> {
    const cameraId = `job:${input.jobId}`;
    const source = new FileSource({ cameraId, path: input.localPath, pacing: 'asap', captureBaseTs: 0 });
    // The job may ask for CLOSE_UP (an athlete filling the frame); store footage is SCENE.
    const perception = input.perception ? { ...BATCH_PERCEPTION, perception: input.perception } : BATCH_PERCEPTION;
    const session = CameraTrackingSession.create(cameraId, { tracker: trackerOptionsFor(perception.perception) });
    const writer = await JsonlGzWriter.open(input.outputPath);
    this.controlPlane.registerCamera(cameraId, 'BATCH', perception);
    let submitted = 0;
    let handled = 0;
    let ended = false;
    let failure: Error | null = null;
    let lastProgress = Date.now();
    // Presentation time per frame: the control plane measures latency from wall-clock capture.
    const ptsOf = new Map<number, number>();
    const tally = new BatchOutputTally();
    const endedTracks: TrackSummary[] = [];
    const createdAt = new Date();
    let writing: Promise<void> = Promise.resolve();
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const held = new HeldFrameQueue<SourceFrame>(
      (frame) => {
        const outcome = this.controlPlane.submitFrame({ cameraId, seq: frame.seq, image: frame.jpeg });
        // A frame dropped at entry is counted by its frame_dropped event, like any other drop.
        if (outcome.status !== 'backpressure') {
          submitted += 1;
          ptsOf.set(frame.seq, frame.ptsMs ?? frame.captureTs);
        }
        return outcome;
      },
      source,
      () => settle(),
    );
    const settle = (): void => {
      if (failure || (ended && handled >= submitted && held.size === 0)) finish();
    };
    // The file starts with a header naming what produced it, known from the first tracked frame:
    // lines before it (frames dropped as undecodable) wait for it, or for the end of the video.
    let header: object | null = null;
    const early: object[] = [];
    const writeHeader = (provenance: DetectionProvenance | null, size: { width: number; height: number } | null): void => {
      const probe = source.probe;
      header = batchOutputHeader({
        source: path.basename(input.localPath),
        perception: perception.perception,
        provenance,
        width: size?.width ?? probe?.width ?? null,
        height: size?.height ?? probe?.height ?? null,
        fps: probe?.fps ?? null,
        durationMs: probe?.durationMs ?? null,
        createdAt,
      });
      const lines = [header, ...early.splice(0)];
      writing = writing.then(async () => {
        for (const line of lines) await writer.write(line);
      });
    };
    const handledOne = (record: object, delivered: { provenance: DetectionProvenance | null; width: number; height: number } | null): void => {
      handled += 1;
      lastProgress = Date.now();
      if (header === null && delivered) writeHeader(delivered.provenance, delivered);
      if (header === null) early.push(record);
      else writing = writing.then(() => writer.write(record));
      input.onProgress?.(handled, null);
      settle();
    };

    const offDelivered = this.controlPlane.onDelivered((frame: DeliveredDetections) => {
      if (frame.cameraId !== cameraId) return;
      const ptsMs = ptsOf.get(frame.seq) ?? null;
      ptsOf.delete(frame.seq);
      // Video time drives the tracker, so track times in the output are times in the video.
      const { frame: tracked, ended: endedNow } = session.update({
        seq: frame.seq,
        captureTs: ptsMs ?? frame.seq * (1000 / (source.probe?.fps || 25)),
        width: frame.result.width,
        height: frame.result.height,
        persons: frame.result.persons,
        provenance: frame.result.provenance,
      });
      endedTracks.push(...endedNow);
      tally.frame(frame.result.persons.length, tracked.tracks.length, ptsMs);
      handledOne(
        { type: 'frame', seq: tracked.seq, ptsMs, width: tracked.width, height: tracked.height, provenance: tracked.provenance, tracks: tracked.tracks },
        tracked,
      );
    });
    const offEvents = this.controlPlane.onEvent((event) => {
      // A never-drop camera loses frames only to undecodable bytes: they get a line saying so.
      if (event.cameraId !== cameraId || event.kind !== 'frame_dropped') return;
      const ptsMs = event.seq === null ? null : (ptsOf.get(event.seq) ?? null);
      if (event.seq !== null) ptsOf.delete(event.seq);
      tally.dropped(ptsMs);
      handledOne({ type: 'frame', seq: event.seq, ptsMs, dropped: event.reason }, null);
    });

    source.subscribe({
      onFrame: (frame) => {
        if (failure === null) held.offer(frame);
      },
      onStatus: (change) => {
        if (change.to === 'ended') ended = true;
        if (change.to === 'failed') failure = new IngestError(IngestErrorCode.DECODE_FAILED, change.detail ?? 'decoding failed');
        settle();
      },
    });
    const abort = (): void => {
      failure = new IngestError(IngestErrorCode.DECODE_FAILED, 'processing was cancelled');
      settle();
    };
    input.signal.addEventListener('abort', abort, { once: true });
    const watchdog = setInterval(() => {
      if (Date.now() - lastProgress > this.stallTimeoutMs) {
        failure = new IngestError(IngestErrorCode.DECODE_FAILED, `no frame was tracked for ${this.stallTimeoutMs / 1000} s: is a gpu-worker running?`);
        settle();
      }
    }, 1_000);

    try {
      await source.start();
      await done;
      await writing;
      if (failure) throw failure;
      // No frame was tracked (every one dropped, or none decoded): the header says so with null models.
      if (header === null) writeHeader(null, null);
      await writing;
      const tracks = [...endedTracks, ...session.endAll()].sort((a, b) => a.trackId - b.trackId);
      for (const track of tracks) await writer.write(batchTrackLine(track));
      const summary = tally.summary(tracks);
      await writer.write(summary);
      const output = await writer.commit();
      return { frameCount: handled, quality: summary.meanQuality, outputPath: output.path, outputSha256: output.sha256, warnings: summary.warnings };
    } catch (error) {
      await writer.abort();
      throw error;
    } finally {
      held.close();
      clearInterval(watchdog);
      input.signal.removeEventListener('abort', abort);
      offDelivered();
      offEvents();
      await source.stop();
      this.controlPlane.removeCamera(cameraId);
    }
  }
}
