/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describeWithInputs, itWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import sharp from 'sharp';
import { LazyFaceEmbedder } from '../app/identity-face-embedder';

// Enrolment photos go through the face detector: one result per photo, a clear reason for each
// photo that cannot be enrolled (no face, several faces, a face too small, bytes that do not
// decode), an embedding for each photo with exactly one usable face.
const photoPath = (person: string, n: number): string => sharedDataPath(`faces/${person}/${person}${n}.png`);
const video = sharedDataPath('video/vtest.avi');
const ffmpeg = ['/usr/bin/ffmpeg', '/usr/local/bin/ffmpeg'].find((p) => existsSync(p)) ?? '/usr/bin/ffmpeg';
const faces = new LazyFaceEmbedder();

async function sideBySide(a: Buffer, b: Buffer): Promise<Buffer> {
  const [ma, mb] = [await sharp(a).metadata(), await sharp(b).metadata()];
  return sharp({ create: { width: ma.width! + mb.width!, height: Math.max(ma.height!, mb.height!), channels: 3, background: '#808080' } })
    .composite([
      { input: a, left: 0, top: 0 },
      { input: b, left: ma.width!, top: 0 },
    ])
    .png()
    .toBuffer();
}

describeWithInputs([photoPath('amy', 1), photoPath('howard', 1)], 'the enrolment photo checks')('enrolment photos through the face detector', () => {
  it('answers per photo: one face embedded, two faces MULTIPLE_FACES, no face NO_FACE, a small face FACE_TOO_SMALL, garbage CORRUPT_PHOTO', async () => {
    const amy = readFileSync(photoPath('amy', 1));
    const howard = readFileSync(photoPath('howard', 1));
    const grey = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#777' } }).png().toBuffer();
    // Amy's photo shrunk to 40 px (eyes ~14 px apart) in the middle of a 320 px grey photo.
    const small = await sharp({ create: { width: 320, height: 320, channels: 3, background: '#777' } })
      .composite([{ input: await sharp(amy).resize(40, 40).png().toBuffer(), left: 140, top: 140 }])
      .png()
      .toBuffer();
    const results = await faces.embedFacePhotos([amy, await sideBySide(amy, howard), grey, small, Buffer.from('not a picture')]);
    const summary = results.map((r) => (r.ok ? 'ok' : r.code));
    console.log(`[identity] enrolment photo checks: ${results.map((r) => (r.ok ? 'ok' : `${r.code} (${r.message})`)).join('; ')}`);
    expect(summary[0]).toBe('ok');
    expect(summary[1]).toBe('MULTIPLE_FACES');
    expect(summary[2]).toBe('NO_FACE');
    expect(summary[3]).toBe('FACE_TOO_SMALL');
    expect(summary[4]).toBe('CORRUPT_PHOTO');
    expect(results[0]!.ok && results[0]!.embedding).toHaveLength(1024);
  }, 120_000);

  it('the same photo embeds to the same vector alone and in a batch (alignment is per photo)', async () => {
    const amy = readFileSync(photoPath('amy', 1));
    const [alone] = await faces.embedFacePhotos([amy]);
    const [, batched] = await faces.embedFacePhotos([readFileSync(photoPath('howard', 1)), amy]);
    if (!alone?.ok || !batched?.ok) throw new Error('not embedded');
    const cos = alone.embedding.reduce((s, v, i) => s + v * batched.embedding[i]!, 0);
    expect(cos).toBeGreaterThan(0.999);
  }, 120_000);

  itWithInputs([video, ffmpeg], 'the vtest.avi NO_FACE check')('a frame of a store camera (vtest.avi) is NO_FACE', async () => {
    const jpeg = execFileSync(ffmpeg, ['-loglevel', 'error', '-i', video, '-frames:v', '1', '-f', 'image2pipe', '-vcodec', 'mjpeg', '-']);
    const [r] = await faces.embedFacePhotos([jpeg]);
    expect(r?.ok ? 'ok' : r?.code).toBe('NO_FACE');
  }, 120_000);
});
