/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { itWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { createInferenceBackend } from './create-inference-backend';
import type { FrameInput, InferenceBackend } from './inference-backend';
import { InferenceError, InferenceErrorCode } from './inference.error';

const sampleDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const photo = readFileSync(path.join(sampleDir, 'sample1.jpg'));
const frame = (id: string, image: Buffer, wantEmbeddings = false): FrameInput => ({ frameId: id, cameraId: 'cam-1', seq: 0, image, wantEmbeddings, perception: 'CLOSE_UP' });

let backend: InferenceBackend;
beforeAll(async () => {
  backend = await createInferenceBackend({ preferCuda: false, intraOpThreads: 1 });
}, 60_000);
afterAll(() => backend.close());

describe('OnnxMoveNetBackend', () => {
  it('finds persons in original pixels and embeds their faces on request', async () => {
    const [result] = await backend.infer([frame('f1', photo, true)]);
    expect(backend.name).toBe('onnx:movenet-multipose');
    if (!result?.ok) throw new Error('expected ok');
    expect([result.width, result.height]).toEqual([1920, 1280]);
    expect(result.persons.length).toBeGreaterThan(0);
    for (const p of result.persons) {
      expect(p.keypoints).toHaveLength(17);
      expect(p.box.x + p.box.width).toBeLessThanOrEqual(1920);
      expect(p.box.y + p.box.height).toBeLessThanOrEqual(1280);
    }
    const embedded = result.persons.filter((p) => p.embedding);
    expect(embedded.length).toBeGreaterThan(0);
    for (const p of embedded) expect(Math.hypot(...(p.embedding ?? []))).toBeCloseTo(1, 4);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['garbage', Buffer.from('not an image at all')],
    ['truncated jpeg', photo.subarray(0, 2000)],
  ])('a %s frame is decode_failed and the rest of the batch goes on', async (_label, bad) => {
    const results = await backend.infer([frame('good-1', photo), frame('bad', bad), frame('good-2', photo)]);
    expect(results.map((r) => [r.frameId, r.ok])).toEqual([
      ['good-1', true],
      ['bad', false],
      ['good-2', true],
    ]);
    expect(results[1]).toMatchObject({ ok: false, reason: 'decode_failed' });
  });

  it('stops start-up on a missing model file, naming the file and the fix', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-model.onnx');
    await expect(createInferenceBackend({ modelPath: missing, embedding: false, preferCuda: false })).rejects.toMatchObject({
      code: InferenceErrorCode.MODEL_FILE_MISSING,
      message: expect.stringContaining(missing),
    });
  });

  it('stops start-up on a file that is not an ONNX model', async () => {
    const error = await createInferenceBackend({ modelPath: path.join(sampleDir, 'sample1.jpg'), embedding: false, preferCuda: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).code).toBe(InferenceErrorCode.MODEL_INVALID);
    expect((error as InferenceError).message).toContain('models:prepare');
  });
});

// pose_1.mp4: one person, 120 frames; TF pose-detection's upstream test allows 60 px.
const video = sharedDataPath('video/tfjs-models/pose_1.mp4');
const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? '/usr/bin/ffmpeg';
const names = ['nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle'];
const runVideo = itWithInputs([video, ffmpeg], 'the pose_1.mp4 keypoint check');

describe('MoveNet MultiPose on pose_1.mp4', () => {
  runVideo('keypoints within 60 px of pose_1.json on >= 90% of keypoint-frames', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pose1-'));
    try {
      execFileSync(ffmpeg, ['-loglevel', 'error', '-i', video, '-q:v', '2', path.join(dir, 'f%03d.jpg')]);
      const files = readdirSync(dir).sort();
      const expected = JSON.parse(readFileSync(video.replace(/\.mp4$/, '.json'), 'utf8')) as Record<string, { x: number; y: number }>[];
      expect(files).toHaveLength(expected.length);
      let within = 0;
      let total = 0;
      for (let i = 0; i < files.length; i += 8) {
        const batch = files.slice(i, i + 8).map((f, k) => frame(String(i + k), readFileSync(path.join(dir, f))));
        for (const r of await backend.infer(batch)) {
          const truth = expected[Number(r.frameId)] as Record<string, { x: number; y: number }>;
          const best = r.ok ? r.persons[0] : undefined;
          names.forEach((name, k) => {
            const t = truth[name];
            if (!t) return;
            total++;
            const kp = best?.keypoints[k];
            if (kp && Math.hypot(kp.x - t.x, kp.y - t.y) <= 60) within++;
          });
        }
      }
      console.log(`pose_1.mp4: ${within}/${total} keypoint-frames within 60 px (${((100 * within) / total).toFixed(1)}%)`);
      expect(within / total).toBeGreaterThanOrEqual(0.9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
