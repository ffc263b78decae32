import { execFile } from 'node:child_process';
import { IngestError, IngestErrorCode } from '../domain/ingest.error';
import { redactUrlsInText } from '../domain/url-guard';
import { DEBIAN_FFMPEG, type FfmpegBinaries } from './ffmpeg-binaries';
import { ffmpegInputArgs } from './ffmpeg-input';

/** What we know about a video before decoding it. */
export interface VideoProbe {
  /** Average frame rate (frames/s). */
  fps: number;
  /** Duration in ms, or null for live streams and files without one. */
  durationMs: number | null;
  width: number;
  height: number;
  /** ffmpeg's codec name (`h264`, `mjpeg`, `msmpeg4v3`, ...). */
  codec: string;
  /** Frame count when the container states it, else null. */
  frameCount: number | null;
}

function parseRate(rate: unknown): number {
  if (typeof rate !== 'string') return Number.NaN;
  const [num, den] = rate.split('/').map(Number);
  if (num === undefined || !Number.isFinite(num)) return Number.NaN;
  return den === undefined ? num : den > 0 ? num / den : Number.NaN;
}

/** Turns `ffprobe -print_format json -show_streams -show_format` output into a {@link VideoProbe} (pure). */
export function parseProbeJson(json: string): VideoProbe | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const data = raw as { streams?: Array<Record<string, unknown>>; format?: Record<string, unknown> };
  const video = data.streams?.find((s) => s['codec_type'] === 'video');
  if (!video) return null;
  const width = Number(video['width']);
  const height = Number(video['height']);
  const avg = parseRate(video['avg_frame_rate']);
  const fps = Number.isFinite(avg) && avg > 0 ? avg : parseRate(video['r_frame_rate']);
  const duration = Number(video['duration'] ?? data.format?.['duration']);
  const frames = Number(video['nb_frames']);
  if (!(width > 0) || !(height > 0) || !(fps > 0)) return null;
  return {
    fps,
    durationMs: Number.isFinite(duration) && duration > 0 ? Math.round(duration * 1000) : null,
    width,
    height,
    codec: typeof video['codec_name'] === 'string' ? video['codec_name'] : 'unknown',
    frameCount: Number.isInteger(frames) && frames > 0 ? frames : null,
  };
}

/**
 * Reads fps, duration, size and codec of the first video stream of a local file with ffprobe.
 * Only the `file` protocol and stored-video demuxers are allowed (see `ffmpegInputArgs`), so a
 * "path" such as `gopher://…` is just a file name that does not exist.
 * @throws IngestError PROBE_FAILED when the file is missing, unreadable or has no video.
 */
export function probeVideo(path: string, options: { binaries?: FfmpegBinaries; timeoutMs?: number } = {}): Promise<VideoProbe> {
  const binaries = options.binaries ?? DEBIAN_FFMPEG;
  let input: string[];
  try {
    input = ffmpegInputArgs({ kind: 'file', path });
  } catch (cause) {
    return Promise.reject(new IngestError(IngestErrorCode.PROBE_FAILED, 'cannot read video metadata: the path contains control characters', {}, { cause }));
  }
  const args = ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', '-select_streams', 'v:0', ...input];
  return new Promise((resolve, reject) => {
    execFile(binaries.ffprobe, args, { timeout: options.timeoutMs ?? 15_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const probe = error ? null : parseProbeJson(stdout);
      if (probe) return resolve(probe);
      const why = redactUrlsInText((stderr || (error ? error.message : 'no video stream')).trim().split('\n').slice(-1)[0] ?? '');
      reject(new IngestError(IngestErrorCode.PROBE_FAILED, `cannot read video metadata of ${redactUrlsInText(path)}: ${why}`, { path: redactUrlsInText(path) }));
    });
  });
}
