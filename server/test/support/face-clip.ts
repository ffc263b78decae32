import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { sharedDataPath } from '@trinetra/shared/testing';

/**
 * Camera frames with a recognisable face, for the live identity tests. No shared clip shows a
 * face large enough to recognise, so frames are composed: the walking person of tfjs-models'
 * pose_1.mp4 (upper part of the frame, scaled 2x) with a face photo from the shared faces pasted
 * over their head, placed by the clip's reference eye keypoints (pose_1.json) frame by frame.
 * MultiPose sees a real body and the face's eyes; the worker's face stage embeds the pasted face.
 */
export const FACE_CLIP = sharedDataPath('video/tfjs-models/pose_1.mp4');
export const FACE_CLIP_KEYPOINTS = sharedDataPath('video/tfjs-models/pose_1.json');

/** A shared face photo: `faces/<name>/<name><n>.png`. */
export const facePhoto = (name: string, n: number): string => sharedDataPath(`faces/${name}/${name}${n}.png`);

/** One decoded clip frame (a PNG file) and its eye midpoint in clip pixels. */
export interface ClipFrame {
  png: string;
  eyes: { x: number; y: number };
}

/** The part of pose_1's 576x576 frames with the person in it, and its scale in the composed frame. */
const CROP = { left: 140, top: 150, width: 300, height: 300 };
const SCALE = 2;
/** Side of the pasted face photo in composed pixels (a head a little larger than life: a close camera). */
const FACE = 120;

/** Decodes pose_1 into `dir` (ffmpeg) and keeps every `step`-th frame with its eye midpoint. */
export function decodeFaceClip(dir: string, step = 4): ClipFrame[] {
  const decoded = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', FACE_CLIP, path.join(dir, '%03d.png')], { encoding: 'utf8' });
  if (decoded.status !== 0 || decoded.stderr !== '') throw new Error(`ffmpeg could not decode ${FACE_CLIP}: ${decoded.stderr || decoded.error?.message}`);
  const keypoints = JSON.parse(readFileSync(FACE_CLIP_KEYPOINTS, 'utf8')) as Record<'left_eye' | 'right_eye', { x: number; y: number }>[];
  return keypoints
    .map((k, i) => ({ png: path.join(dir, `${String(i + 1).padStart(3, '0')}.png`), eyes: { x: (k.left_eye.x + k.right_eye.x) / 2, y: (k.left_eye.y + k.right_eye.y) / 2 } }))
    .filter((_, i) => i % step === 0);
}

/** One clip frame with `face` (PNG bytes) pasted over the head, eyes on the clip's eye keypoints; JPEG. */
export async function composedFrame(frame: ClipFrame, face: Buffer): Promise<Buffer> {
  const ex = (frame.eyes.x - CROP.left) * SCALE;
  const ey = (frame.eyes.y - CROP.top) * SCALE;
  const pasted = await sharp(face).resize(FACE, FACE).removeAlpha().toBuffer();
  return sharp(frame.png)
    .extract(CROP)
    .resize(CROP.width * SCALE, CROP.height * SCALE)
    // The photos' eyes sit at 40% of their height (gpu-worker/preprocess/face-alignment.ts).
    .composite([{ input: pasted, left: Math.round(ex - FACE / 2), top: Math.round(ey - 0.4 * FACE) }])
    .jpeg({ quality: 90 })
    .toBuffer();
}

/** Every clip frame with the face photo at `photoPath` pasted in. */
export function composedFrames(frames: readonly ClipFrame[], photoPath: string): Promise<Buffer[]> {
  const face = readFileSync(photoPath);
  return Promise.all(frames.map((f) => composedFrame(f, face)));
}

/** A frame of the composed size with nobody in it (mid grey): the person has left the view. */
export function emptyFrame(): Promise<Buffer> {
  return sharp({ create: { width: CROP.width * SCALE, height: CROP.height * SCALE, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}
