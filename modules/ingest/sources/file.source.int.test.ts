import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { ManualClock } from '@trinetra/shared';
import { itWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { IngestError } from '../domain/ingest.error';
import type { SourceStatusChange } from '../domain/frame-source';
import type { SourceFrame } from '../domain/source-frame';
import { DEBIAN_FFMPEG } from './ffmpeg-binaries';
import { FileSource, type FileSourceOptions } from './file.source';
import { probeVideo } from './ffprobe';

const SAMPLE = sharedDataPath('video/vtest.avi');
let dir: string;
let clip: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'trinetra-file-source-'));
  clip = join(dir, 'testsrc.mp4');
  // 2 s of 320x240 at 10 fps: exactly 20 frames, pts 0, 100, ..., 1900 ms.
  execFileSync(DEBIAN_FFMPEG.ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=2:size=320x240:rate=10', '-c:v', 'mpeg4', '-q:v', '4', clip]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function decode(options: Omit<FileSourceOptions, 'cameraId'>): Promise<{ frames: SourceFrame[]; statuses: SourceStatusChange[] }> {
  const source = new FileSource({ cameraId: 'file-cam', ...options });
  const frames: SourceFrame[] = [];
  const statuses: SourceStatusChange[] = [];
  return new Promise((resolve, reject) => {
    source.subscribe({
      onFrame: (f) => frames.push(f),
      onStatus: (s) => {
        statuses.push(s);
        if (s.to === 'ended' || s.to === 'failed') resolve({ frames, statuses });
      },
    });
    source.start().catch(reject);
  });
}

describe('probeVideo', () => {
  it('reads fps, duration, size and codec of a generated clip', async () => {
    await expect(probeVideo(clip)).resolves.toEqual({ fps: 10, durationMs: 2000, width: 320, height: 240, codec: 'mpeg4', frameCount: 20 });
  });

  it.each([['a missing file', () => join(dir, 'nope.mp4')], ['a text file', () => { const p = join(dir, 'x.mp4'); writeFileSync(p, 'hello'); return p; }]])(
    'fails with PROBE_FAILED for %s',
    async (_name, path) => {
      await expect(probeVideo(path())).rejects.toBeInstanceOf(IngestError);
    },
  );
});

describe('FileSource', () => {
  it('decodes every frame with its real presentation timestamp', async () => {
    const clock = new ManualClock(5_000);
    const { frames, statuses } = await decode({ path: clip, clock, captureBaseTs: 1_700_000_000_000 });
    expect(statuses.map((s) => s.to)).toEqual(['connecting', 'live', 'ended']);
    expect(frames).toHaveLength(20);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(frames.map((f) => f.ptsMs)).toEqual(Array.from({ length: 20 }, (_, i) => i * 100));
    expect(frames.map((f) => f.captureTs)).toEqual(Array.from({ length: 20 }, (_, i) => 1_700_000_000_000 + i * 100));
    expect(frames.every((f) => f.width === 320 && f.height === 240)).toBe(true);
    const meta = await sharp(frames[7]!.jpeg).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 320, 240]);
  });

  it('decodes at the camera target fps keeping original timestamps', async () => {
    const { frames } = await decode({ path: clip, targetFps: 4 });
    expect(frames.map((f) => f.ptsMs)).toEqual([0, 300, 500, 800, 1000, 1300, 1500, 1800]);
  });

  it('paces frames in realtime', async () => {
    const started = Date.now();
    const { frames } = await decode({ path: clip, targetFps: 5, pacing: 'realtime' });
    expect(frames).toHaveLength(10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1700);
  });

  it('holds back under backpressure and loses nothing', async () => {
    const source = new FileSource({ cameraId: 'bp', path: clip });
    const frames: SourceFrame[] = [];
    const ended = new Promise<void>((r) => source.subscribe({ onStatus: (s) => s.to === 'ended' && r() }));
    source.subscribe({ onFrame: (f) => { frames.push(f); if (f.seq === 3) source.pause(); } });
    await source.start();
    while (frames.length < 4) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 150));
    expect(frames).toHaveLength(4);
    source.resume();
    await ended;
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('ends failed for a file that is not a video', async () => {
    const p = join(dir, 'bad.avi');
    writeFileSync(p, Buffer.alloc(4096, 7));
    const { frames, statuses } = await decode({ path: p });
    expect(frames).toHaveLength(0);
    expect(statuses.at(-1)).toMatchObject({ to: 'failed' });
  });

  const sampleIt = itWithInputs([SAMPLE], 'the vtest.avi decode test');

  sampleIt('decodes the shared sample clip vtest.avi at 2 fps', async () => {
    const probe = await probeVideo(SAMPLE);
    expect(probe).toMatchObject({ fps: 10, width: 768, height: 576, codec: 'msmpeg4v3', durationMs: 79_500 });
    const { frames, statuses } = await decode({ path: SAMPLE, targetFps: 2 });
    expect(statuses.at(-1)?.to).toBe('ended');
    expect(frames).toHaveLength(159);
    expect(frames.slice(0, 4).map((f) => f.ptsMs)).toEqual([0, 500, 1000, 1500]);
    expect(frames.every((f, i) => i === 0 || f.ptsMs! > frames[i - 1]!.ptsMs!)).toBe(true);
    expect(frames[0]).toMatchObject({ width: 768, height: 576 });
  }, 60_000);
});
