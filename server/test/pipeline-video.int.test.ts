import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { createInterface } from 'node:readline';
import { absentTestInput, REPO_ROOT, sharedDataPath } from '@trinetra/shared/testing';
import { BatchVideoProcessor } from '@trinetra/tracking';
import { startTestApp, type TestApp } from './support/test-app';
import { startTestWorker } from './support/test-worker';

const CLIP = sharedDataPath('video/tfjs-models/pose_1.mp4');
// Prepared by npm test (scripts/test.js) before jest starts.
const MODELS = path.join(REPO_ROOT, '.trinetra/models/movenet-multipose.onnx');

async function readJsonl(file: string): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  for await (const line of createInterface({ input: createReadStream(file).pipe(createGunzip()) })) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  return lines;
}

const skip = absentTestInput([CLIP, MODELS], 'the batch video pipeline test');

describe('batch videos through the frame pipeline (real ONNX worker)', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  const dir = mkdtempSync(path.join(tmpdir(), 'trinetra-pvp-'));

  beforeAll(async () => {
    if (skip) return;
    t = await startTestApp();
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'onnx', ONNX_EMBEDDINGS: 'false' });
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  (skip ? it.skip : it)('tracks every frame of a clip and writes frames, tracks and smoothed keypoints as JSONL.gz', async () => {
    const processor = new BatchVideoProcessor(t.app.controlPlane, { stallTimeoutMs: 60_000 });
    let progress = 0;
    const result = await processor.process({
      jobId: 'pose-1',
      tenantId: 'tenant',
      localPath: CLIP,
      outputPath: path.join(dir, 'pose_1.jsonl.gz'),
      signal: new AbortController().signal,
      onProgress: (frames) => (progress = frames),
    });
    expect(result.frameCount).toBe(120);
    expect(progress).toBe(120);
    expect(result.outputSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(result.quality).toBeGreaterThan(0.3);
    const lines = await readJsonl(result.outputPath);
    const frames = lines.filter((l) => l['type'] === 'frame') as { seq: number; tracks: { trackId: number; keypoints: unknown[] }[] }[];
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    const withPerson = frames.filter((f) => f.tracks.length === 1);
    expect(withPerson.length).toBeGreaterThan(100);
    expect(new Set(withPerson.map((f) => f.tracks[0]!.trackId)).size).toBe(1);
    expect(withPerson[50]!.tracks[0]!.keypoints).toHaveLength(17);
    expect(lines.filter((l) => l['type'] === 'track')).toHaveLength(1);

    // Output format v2 (docs/batch-output.md): header, video time everywhere, summary last.
    expect(lines[0]).toMatchObject({ type: 'header', format: 'trinetra.batch-output', version: 2, source: 'pose_1.mp4', fps: 30, width: 576, height: 576, timebase: 'video_ms' });
    expect(lines[0]!['keypoints']).toHaveLength(17);
    expect((lines[0]!['keypoints'] as string[])[0]).toBe('nose');
    expect(Date.parse(lines[0]!['createdAt'] as string)).toBeGreaterThan(0);
    const track = lines.find((l) => l['type'] === 'track')!;
    // 120 frames at 30 fps: the track lives within the video's 4 s, not at processing's epoch time.
    expect(track['firstSeenTs']).toBeUndefined();
    expect(track['firstSeenMs']).toBeGreaterThanOrEqual(0);
    expect(track['lastSeenMs']).toBeLessThanOrEqual(4000);
    expect(track['lastSeenMs'] as number).toBeGreaterThan(3000);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', frames: 120, tracks: 1, peopleSeen: 1, maxPeopleInFrame: 1, warnings: [] });
    expect(summary['framesWithPeople']).toBeGreaterThan(100);
    expect(summary['meanQuality']).toBeCloseTo(result.quality, 6);
    expect(result.warnings).toEqual([]);
  }, 120_000);
});
