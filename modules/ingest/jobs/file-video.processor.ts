import { JsonlGzWriter } from '../batch/jsonl-gz.writer';
import { IngestError, IngestErrorCode } from '../domain/ingest.error';
import type { SourceStatusChange } from '../domain/frame-source';
import type { FfmpegBinaries } from '../sources/ffmpeg-binaries';
import { FileSource } from '../sources/file.source';
import type { VideoProcessInput, VideoProcessor, VideoProcessResult } from './video-processor';

/** Options of {@link FileVideoProcessor}. */
export interface FileVideoProcessorOptions {
  /** Decode at this rate (original timestamps kept). Default: the file's own rate. */
  targetFps?: number;
  binaries?: FfmpegBinaries;
}

/**
 * The default {@link VideoProcessor} until the pipeline provides one: decodes the file with
 * {@link FileSource} and writes one JSON line per frame (sequence, pts, size, JPEG bytes) after a
 * `video` header line with the probe, through the atomic JSONL.gz writer. Quality is the share
 * of the expected frames that decoded (1 for an intact file).
 */
export class FileVideoProcessor implements VideoProcessor {
  constructor(private readonly options: FileVideoProcessorOptions = {}) {}

  async process(input: VideoProcessInput): Promise<VideoProcessResult> {
    const source = new FileSource({
      cameraId: `job:${input.jobId}`,
      path: input.localPath,
      pacing: 'asap',
      captureBaseTs: 0,
      ...(this.options.targetFps !== undefined ? { targetFps: this.options.targetFps } : {}),
      ...(this.options.binaries ? { binaries: this.options.binaries } : {}),
    });
    const writer = await JsonlGzWriter.open(input.outputPath);
    let frames = 0;
    let expected: number | null = null;
    let headerWritten = false;
    let writing: Promise<void> = Promise.resolve();
    try {
      const ended = await new Promise<SourceStatusChange>((resolve, reject) => {
        const onAbort = (): void => {
          void source.stop();
          reject(new IngestError(IngestErrorCode.DECODE_FAILED, 'processing was cancelled'));
        };
        input.signal.addEventListener('abort', onAbort, { once: true });
        source.subscribe({
          onFrame: (frame) => {
            frames += 1;
            const probe = source.probe;
            if (!headerWritten && probe) {
              headerWritten = true;
              const fps = this.options.targetFps !== undefined ? Math.min(this.options.targetFps, probe.fps) : probe.fps;
              expected = probe.durationMs !== null ? Math.max(1, Math.round((probe.durationMs / 1000) * fps)) : probe.frameCount;
              const header = { type: 'video', fps: probe.fps, durationMs: probe.durationMs, width: probe.width, height: probe.height, codec: probe.codec };
              writing = writing.then(() => writer.write(header));
            }
            const record = { type: 'frame', seq: frame.seq, ptsMs: frame.ptsMs ?? null, width: frame.width, height: frame.height, jpegBytes: frame.jpeg.length };
            // Backpressure: hold the decoder while the compressor catches up.
            source.pause();
            writing = writing.then(() => writer.write(record)).finally(() => source.resume());
            input.onProgress?.(frames, expected);
          },
          onStatus: (change) => {
            if (change.to === 'ended' || change.to === 'failed' || change.to === 'stopped') {
              input.signal.removeEventListener('abort', onAbort);
              resolve(change);
            }
          },
        });
        if (input.signal.aborted) onAbort();
        else void source.start();
      });
      await writing;
      if (ended.to !== 'ended') throw new IngestError(IngestErrorCode.DECODE_FAILED, ended.detail ?? `decoding ${ended.to}`);
      const output = await writer.commit();
      const quality = expected ? Math.min(1, frames / expected) : frames > 0 ? 1 : 0;
      return { frameCount: frames, quality, outputPath: output.path, outputSha256: output.sha256 };
    } catch (error) {
      await source.stop();
      await writer.abort();
      throw error;
    }
  }
}
