import type { CameraPerception } from '@trinetra/shared';
/** What a {@link VideoProcessor} is asked to do for one job. */
export interface VideoProcessInput {
  jobId: string;
  tenantId: string;
  localPath: string;
  /** Where the JSONL.gz output must end up (written atomically). */
  outputPath: string;
  /** Aborted when the run is cancelled; the processor stops and leaves no output. */
  signal: AbortSignal;
  /** Called as frames are processed; `total` is the expected count when known. */
  onProgress?(frames: number, total: number | null): void;
  /**
   * How to look at the video: SCENE (store footage: person detector, then pose; the default) or
   * CLOSE_UP (one or two people filling the frame, e.g. an athlete: multi-person pose on the
   * whole frame, which keeps a crouched body a detector loses). From the manifest's `perception`
   * column.
   */
  perception?: CameraPerception;
}

/** The outcome of a processed video. */
export interface VideoProcessResult {
  frameCount: number;
  /** Mean quality 0..1 of the output (the tracker's quality score once the pipeline runs it). */
  quality: number;
  outputPath: string;
  /** SHA-256 hex of the output file as stored. */
  outputSha256: string;
  /** Warnings about the result (`VIDEO_JOB_WARNINGS`), e.g. `NO_DETECTIONS`. */
  warnings?: string[];
}

/**
 * Turns one video into its tracking output. The pipeline implements it (decode -> admission ->
 * control plane -> tracker); {@link FileVideoProcessor} is the stand-in that needs no workers.
 * Throwing fails the job with the error's message; a job is retried only by `resume`.
 */
export interface VideoProcessor {
  process(input: VideoProcessInput): Promise<VideoProcessResult>;
}
