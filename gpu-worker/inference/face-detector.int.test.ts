/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describeWithInputs, itWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import sharp from 'sharp';
import { decodeFrame } from '../preprocess/frame-raster';
import { type FaceDetector, alignDetectedFace, loadFaceDetector } from './face-detector';

// BlazeFace on photos: each shared face photo shows exactly one face, its eyes where a frontal
// face has them; two photos side by side show two; a store camera frame and a plain image none.
const PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny'] as const;
const photoPath = (person: string, n: number): string => sharedDataPath(`faces/${person}/${person}${n}.png`);
const ALL = PEOPLE.flatMap((p) => [1, 2, 3, 4, 5].map((n) => photoPath(p, n)));
const video = sharedDataPath('video/vtest.avi');
const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? '/usr/bin/ffmpeg';

let detector: FaceDetector;
beforeAll(async () => {
  detector = await loadFaceDetector();
}, 120_000);

describeWithInputs(ALL, 'the face detector check on the shared faces')('BlazeFace on the shared face photos', () => {
  it('finds exactly one face in each of the 25 photos, eyes level-ish and on the correct sides', async () => {
    const ms: number[] = [];
    for (const file of ALL) {
      const frame = await decodeFrame(readFileSync(file));
      const t0 = process.hrtime.bigint();
      const faces = await detector.detect(frame);
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      expect({ file, faces: faces.length }).toEqual({ file, faces: 1 });
      const face = faces[0]!;
      // Keypoint 0 is the person's right eye: on the image's left for a face looking at us.
      const [rightEye, leftEye] = face.keypoints;
      expect(rightEye!.x).toBeLessThan(leftEye!.x);
      const alignment = alignDetectedFace(face);
      expect(alignment).toBeDefined();
      expect(Math.abs(alignment!.angle)).toBeLessThan(0.5);
    }
    ms.sort((a, b) => a - b);
    console.log(`[face-detector] ${ALL.length} photos: detect p50 ${ms[Math.floor(ms.length / 2)]!.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms (wall, 1 thread)`);
  }, 120_000);

  it('finds two faces in two photos side by side', async () => {
    const [a, b] = [readFileSync(photoPath('amy', 1)), readFileSync(photoPath('howard', 1))];
    const [ma, mb] = [await sharp(a).metadata(), await sharp(b).metadata()];
    const width = ma.width! + mb.width!;
    const height = Math.max(ma.height!, mb.height!);
    const both = await sharp({ create: { width, height, channels: 3, background: '#808080' } })
      .composite([
        { input: a, left: 0, top: 0 },
        { input: b, left: ma.width!, top: 0 },
      ])
      .png()
      .toBuffer();
    const faces = await detector.detect(await decodeFrame(both));
    expect(faces).toHaveLength(2);
    const centres = faces.map((f) => f.box.x + f.box.width / 2).sort((x, y) => x - y);
    expect(centres[0]!).toBeLessThan(ma.width!);
    expect(centres[1]!).toBeGreaterThan(ma.width!);
  });
});

describe('BlazeFace on images without a face', () => {
  it('finds none on a plain grey image or on noise', async () => {
    const grey = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#777' } }).png().toBuffer();
    expect(await detector.detect(await decodeFrame(grey))).toEqual([]);
    let state = 42;
    const noise = Buffer.from(Uint8Array.from({ length: 300 * 300 * 3 }, () => (state = (state * 1103515245 + 12345) % 2147483648) % 256));
    expect(await detector.detect({ rgb: noise, width: 300, height: 300 })).toEqual([]);
  });

  itWithInputs([video, ffmpeg], 'the vtest.avi no-face check')('finds none on a frame of vtest.avi (pedestrians far too small for a face)', async () => {
    const jpeg = execFileSync(ffmpeg, ['-loglevel', 'error', '-i', video, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'mjpeg', '-']);
    expect(await detector.detect(await decodeFrame(jpeg))).toEqual([]);
  });
});
