import { readFileSync } from 'node:fs';
import { sharedDataPath } from '@trinetra/shared/testing';
import sharp from 'sharp';

/** The shared face photos (`../shared/data/faces/<name>/<name><n>.png`, 150x150 tight face crops). */
export const FACE_PEOPLE = ['amy', 'bernadette', 'howard', 'leonard', 'penny'] as const;
export type FacePerson = (typeof FACE_PEOPLE)[number];

export function facePhotoPath(name: FacePerson, n: number): string {
  return sharedDataPath(`faces/${name}/${name}${n}.png`);
}

export function facePhoto(name: FacePerson, n: number): Buffer {
  return readFileSync(facePhotoPath(name, n));
}

/**
 * A camera-like JPEG frame composed from a face photo: no shared clip shows an enrolled face,
 * so the photo is scaled to `size` px and placed on a plain 640x480 background at (`left`,
 * `top`), as a webcam close to someone would see them. Moving `left`/`top` between frames
 * stands in for a person moving in front of the camera.
 */
export async function faceFrame(photo: Buffer, options: { size?: number; left?: number; top?: number } = {}): Promise<Buffer> {
  const size = options.size ?? 320;
  const face = await sharp(photo).resize(size, size).removeAlpha().toColourspace('srgb').toBuffer();
  return sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 90, g: 90, b: 90 } } })
    .composite([{ input: face, left: options.left ?? 160, top: options.top ?? 80 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}
