/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeMotion, SQUAT, type MotionKeypoint, type PoseSeries } from '@trinetra/analytics';
import { createInferenceBackend, type InferenceBackend } from '@trinetra/gpu-worker';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';

/**
 * The whole chain on real footage: pose_squats.mp4 decoded by ffmpeg, every frame through the
 * repository's ONNX MoveNet (as the worker runs it), the athlete's keypoints into the SQUAT
 * analysis. The rep count is the one counted by hand from the frames (see
 * `modules/analytics/motion/sports/squat/squat.real-clip.test.ts`: 2 complete reps, a third
 * cut off by the clip's end). It lives in server/ because it joins two packages that may not
 * import each other (the worker and analytics; module boundaries in eslint.config.mjs).
 */
const video = sharedDataPath('video/tfjs-models/pose_squats.mp4');
const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? '/usr/bin/ffmpeg';

describeWithInputs([video, ffmpeg], 'the MoveNet squat clip test')('SQUAT on pose_squats.mp4 through the ONNX MoveNet', () => {
  let backend: InferenceBackend;
  beforeAll(async () => {
    backend = await createInferenceBackend({ preferCuda: false, intraOpThreads: 1, embedding: false });
  }, 60_000);
  afterAll(() => backend.close());

  it('counts 2 complete reps and 1 cut off, as counted by hand', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'squats-'));
    try {
      execFileSync(ffmpeg, ['-loglevel', 'error', '-i', video, '-q:v', '2', path.join(dir, 'f%03d.jpg')]);
      const files = readdirSync(dir).sort();
      expect(files).toHaveLength(65);
      const frames: (MotionKeypoint[] | null)[] = [];
      for (let i = 0; i < files.length; i += 8) {
        const batch = files.slice(i, i + 8).map((f, k) => ({
          frameId: String(i + k),
          cameraId: 'squats',
          seq: i + k,
          image: readFileSync(path.join(dir, f)),
          wantEmbeddings: false,
          perception: 'CLOSE_UP' as const,
        }));
        for (const r of await backend.infer(batch)) {
          // One athlete in the clip: the most confident person is she.
          const athlete = r.ok ? [...r.persons].sort((a, b) => b.score - a.score)[0] : undefined;
          frames.push(athlete ? athlete.keypoints.map((k) => ({ x: k.x, y: k.y, score: k.score })) : null);
        }
      }
      const series: PoseSeries = { fps: 5, frames };
      const result = analyzeMotion(SQUAT, series, { heightM: 1.65 });
      if (result.status !== 'OK') throw new Error(JSON.stringify(result));
      console.log(`pose_squats.mp4 via MoveNet: ${JSON.stringify(result.metrics)}`);
      expect([result.metrics.repCount, result.metrics.incompleteReps]).toEqual([2, 1]);
      // MoveNet puts the bottom at ~104-112 deg where BlazePose's landmarks give ~90-100: in a
      // front view the thigh points at the camera, so the 2-D angle depends on the model's knee.
      for (const rep of result.metrics.reps) {
        expect(rep.bottomKneeAngleDeg).toBeGreaterThan(80);
        expect(rep.bottomKneeAngleDeg).toBeLessThan(120);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
