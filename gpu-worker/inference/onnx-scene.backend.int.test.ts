/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { itWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import sharp from 'sharp';
import { defaultModelCacheDir, ensurePreparedModels } from '../models/prepared-model.store';
import { createSceneBackend } from './create-scene-backend';
import type { FrameInput } from './inference-backend';
import type { OnnxSceneBackend } from './onnx-scene.backend';

const video = sharedDataPath('video/vtest.avi');
const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? '/usr/bin/ffmpeg';
const sampleDir = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo');
const photo = readFileSync(path.join(sampleDir, 'sample1.jpg'));
const frame = (id: string, image: Buffer, tiled = false): FrameInput => ({ frameId: id, cameraId: 'store-cam', seq: 0, image, perception: 'SCENE', tiled });

let backend: OnnxSceneBackend;
beforeAll(async () => {
  backend = await createSceneBackend({ preferCuda: false, intraOpThreads: 1 });
}, 120_000);
afterAll(() => backend.close());

describe('OnnxSceneBackend (NanoDet-m + MoveNet Lightning)', () => {
  it('names its models in provenance and finds people with 17 keypoints inside the frame', async () => {
    const [result] = await backend.infer([frame('photo', photo)]);
    expect(backend.name).toBe('onnx:nanodet-m+movenet-lightning');
    if (!result?.ok) throw new Error('expected ok');
    expect(result.provenance).toEqual({ backend: 'onnx', model: 'nanodet-m+movenet-lightning' });
    expect(result.persons.length).toBeGreaterThan(0);
    for (const p of result.persons) {
      expect(p.keypoints).toHaveLength(17);
      expect(p.box.x).toBeGreaterThanOrEqual(0);
      expect(p.box.x + p.box.width).toBeLessThanOrEqual(1920);
    }
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['blank (whitespace only)', Buffer.from('    \n\n   ')],
    ['not an image', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['truncated jpeg', photo.subarray(0, 3000)],
    ['a jpeg header only', photo.subarray(0, 20)],
  ])('a frame that is %s is decode_failed and the rest of the batch goes on', async (_label, bad) => {
    const results = await backend.infer([frame('good-1', photo), frame('bad', bad, true), frame('good-2', photo)]);
    expect(results.map((r) => [r.frameId, r.ok])).toEqual([
      ['good-1', true],
      ['bad', false],
      ['good-2', true],
    ]);
    expect(results[1]).toMatchObject({ ok: false, reason: 'decode_failed', message: expect.any(String) });
  });

  it('a uniformly black frame is fine and has nobody in it', async () => {
    const black = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    const [result] = await backend.infer([frame('black', black, true)]);
    expect(result).toMatchObject({ ok: true, width: 640, height: 480, persons: [] });
  });
});

describe('prepared model checksums', () => {
  it('stops start-up on a prepared model modified after preparation, naming the file', async () => {
    const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'scene-models-'));
    try {
      // Copy the current cache (file + sidecar) instead of converting again.
      await ensurePreparedModels({ models: ['nanodet-m', 'movenet-lightning'] });
      for (const name of ['nanodet-m', 'movenet-lightning']) {
        for (const suffix of ['.onnx', '.onnx.json']) copyFileSync(path.join(defaultModelCacheDir(), name + suffix), path.join(cacheDir, name + suffix));
      }
      const file = path.join(cacheDir, 'nanodet-m.onnx');
      const bytes = readFileSync(file);
      bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
      writeFileSync(file, bytes);
      await expect(createSceneBackend({ preferCuda: false, modelCacheDir: cacheDir })).rejects.toMatchObject({
        code: 'CHECKSUM_MISMATCH',
        message: expect.stringContaining(file),
      });
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }, 60_000);
});

// vtest.avi (OpenCV sample): a fixed camera over a campus path, 768x576, 5-12 pedestrians
// 50-100 px tall: the kind of scene MultiPose misses. The first 200 frames, untiled.
const runVideo = itWithInputs([video, ffmpeg], 'the vtest.avi SCENE check');

describe('SCENE on vtest.avi', () => {
  runVideo(
    'finds >= 5 people per frame on average and never loses everyone for more than 5 frames in a row',
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'vtest-'));
      try {
        execFileSync(ffmpeg, ['-loglevel', 'error', '-i', video, '-frames:v', '200', '-q:v', '3', path.join(dir, 'f%03d.jpg')]);
        const files = readdirSync(dir).sort();
        expect(files).toHaveLength(200);
        const counts: number[] = [];
        for (let i = 0; i < files.length; i += 8) {
          const batch = files.slice(i, i + 8).map((f) => frame(f, readFileSync(path.join(dir, f))));
          for (const r of await backend.infer(batch)) {
            if (!r.ok) throw new Error(`${r.frameId}: ${r.message}`);
            counts.push(r.persons.length);
          }
        }
        let run = 0;
        let longestEmptyRun = 0;
        for (const c of counts) {
          run = c === 0 ? run + 1 : 0;
          longestEmptyRun = Math.max(longestEmptyRun, run);
        }
        const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
        console.log(`vtest.avi SCENE: ${mean.toFixed(2)} people per frame over ${counts.length} frames, longest empty run ${longestEmptyRun}`);
        expect(mean).toBeGreaterThanOrEqual(5);
        expect(longestEmptyRun).toBeLessThanOrEqual(5);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    600_000,
  );

  runVideo(
    'tiled: finds at least as many people as untiled, and no person twice across the tile seams',
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'vtest-tiled-'));
      try {
        execFileSync(ffmpeg, [
          '-loglevel',
          'error',
          '-i',
          video,
          '-vf',
          'select=not(mod(n\\,100))',
          '-vsync',
          'vfr',
          '-frames:v',
          '6',
          '-q:v',
          '3',
          path.join(dir, 'f%02d.jpg'),
        ]);
        const images = readdirSync(dir)
          .sort()
          .map((f) => readFileSync(path.join(dir, f)));
        expect(images).toHaveLength(6);
        const plain = await backend.infer(images.map((b, i) => frame(`p${i}`, b)));
        const tiled = await backend.infer(images.map((b, i) => frame(`t${i}`, b, true)));
        const total = (rs: typeof plain): number => rs.reduce((n, r) => n + (r.ok ? r.persons.length : 0), 0);
        console.log(`vtest.avi SCENE on 6 frames: ${total(plain)} people untiled, ${total(tiled)} tiled`);
        expect(total(tiled)).toBeGreaterThanOrEqual(total(plain));
        for (const r of tiled) {
          if (!r.ok) throw new Error(r.message);
          r.persons.forEach((a, i) =>
            r.persons.slice(i + 1).forEach((b) => {
              const w = Math.max(0, Math.min(a.box.x + a.box.width, b.box.x + b.box.width) - Math.max(a.box.x, b.box.x));
              const h = Math.max(0, Math.min(a.box.y + a.box.height, b.box.y + b.box.height) - Math.max(a.box.y, b.box.y));
              const smaller = Math.min(a.box.width * a.box.height, b.box.width * b.box.height);
              // The same person twice would overlap almost entirely (a half box inside a whole one).
              expect((w * h) / smaller).toBeLessThan(0.9);
            }),
          );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
