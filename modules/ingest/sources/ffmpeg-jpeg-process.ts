import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { redactUrlsInText } from '../domain/url-guard';
import { LineSplitter, parseShowinfoLine } from './ffmpeg-progress';
import { DEBIAN_FFMPEG, type FfmpegBinaries } from './ffmpeg-binaries';
import { ffmpegInputArgs, type FfmpegInput } from './ffmpeg-input';
import { JpegStreamSplitter } from './jpeg-stream';

/** Options of {@link FfmpegJpegProcess}. */
export interface FfmpegJpegProcessOptions {
  /** The input and its kind, which fixes the protocols and demuxers ffmpeg may use; passed as argv, never through a shell. */
  input: FfmpegInput;
  /** Arguments placed before the input (protocol options such as `-rtsp_transport tcp`). */
  inputArgs?: readonly string[];
  /** Keep at most this many frames per second (first frame of each 1/fps slot, original pts kept). Unset: every frame. */
  fps?: number;
  /** mjpeg quality scale 2 (best, largest) .. 31 (worst). Default 5: ~30 KB at 640x480. */
  jpegQuality?: number;
  binaries?: FfmpegBinaries;
}

/** How the process ended. `stderrTail` is redacted of credentials. */
export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string[];
  killed: boolean;
}

const STDERR_TAIL = 8;

/** The ffmpeg argv for decoding `input` into a stream of JPEGs on stdout with showinfo pts on stderr. */
export function ffmpegJpegArgs(options: FfmpegJpegProcessOptions): string[] {
  const filters: string[] = [];
  if (options.fps !== undefined && options.fps > 0) {
    // First frame of every 1/fps slot: keeps real pts (unlike the fps filter, which retimes
    // onto a grid and duplicates frames when the source is slower than the target).
    filters.push(`select='isnan(prev_selected_t)+gt(floor(t*${options.fps})\\,floor(prev_selected_t*${options.fps}))'`);
  }
  filters.push('showinfo');
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'info',
    ...(options.inputArgs ?? []),
    ...ffmpegInputArgs(options.input),
    '-an', '-sn', '-dn',
    '-vf', filters.join(','),
    '-fps_mode', 'passthrough',
    '-f', 'image2pipe', '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', String(options.jpegQuality ?? 5),
    'pipe:1',
  ];
}

/**
 * One ffmpeg child decoding to JPEGs: splits stdout on SOI/EOI, pairs each image with its
 * presentation time from the `showinfo` line of the same index on stderr, and reports exit.
 * Backpressure: `pause()` stops reading stdout, so ffmpeg blocks on its pipe.
 */
export class FfmpegJpegProcess {
  private readonly child: ChildProcessByStdio<null, Readable, Readable>;
  private readonly splitter = new JpegStreamSplitter();
  private readonly lines = new LineSplitter();
  private readonly images: Buffer[] = [];
  private readonly pts: number[] = [];
  private readonly tail: string[] = [];
  private killed = false;
  private exited = false;

  constructor(
    options: FfmpegJpegProcessOptions,
    private readonly onFrame: (jpeg: Buffer, ptsMs: number | null) => void,
    onExit: (exit: FfmpegExit) => void,
  ) {
    const binaries = options.binaries ?? DEBIAN_FFMPEG;
    // Throws on control characters or an unknown scheme before anything is spawned.
    this.child = spawn(binaries.ffmpeg, ffmpegJpegArgs(options), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => {
      for (const image of this.splitter.push(chunk)) this.images.push(image);
      this.drain(false);
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => this.onStderr(this.lines.push(chunk)));
    let stdoutEnded = false;
    let closed: FfmpegExit | null = null;
    const finish = () => {
      if (!stdoutEnded || !closed || this.exited) return;
      this.exited = true;
      this.onStderr(this.lines.flush());
      this.drain(true);
      onExit(closed);
    };
    this.child.stdout.on('end', () => {
      stdoutEnded = true;
      finish();
    });
    this.child.on('error', (error) => {
      stdoutEnded = true;
      closed = { code: null, signal: null, stderrTail: [redactUrlsInText(error.message)], killed: this.killed };
      finish();
    });
    this.child.on('close', (code, signal) => {
      stdoutEnded = true;
      closed ??= { code, signal, stderrTail: [...this.tail], killed: this.killed };
      finish();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  pause(): void {
    this.child.stdout.pause();
  }

  resume(): void {
    this.child.stdout.resume();
  }

  /** Ends the process (SIGKILL: ffmpeg may hang in a blocking read on a dead socket). */
  kill(): void {
    if (this.exited || this.killed) return;
    this.killed = true;
    this.child.kill('SIGKILL');
  }

  private onStderr(lines: string[]): void {
    for (const line of lines) {
      const info = parseShowinfoLine(line);
      if (info) this.pts.push(info.ptsMs);
      else if (line.trim() && !line.startsWith('  ')) {
        this.tail.push(redactUrlsInText(line.trim()));
        if (this.tail.length > STDERR_TAIL) this.tail.shift();
      }
    }
    this.drain(false);
  }

  /** Emits images whose pts is known; at exit, the rest without pts. */
  private drain(final: boolean): void {
    while (this.images.length > 0 && (this.pts.length > 0 || final)) {
      const image = this.images.shift() as Buffer;
      const pts = this.pts.shift();
      this.onFrame(image, pts ?? null);
    }
  }
}
