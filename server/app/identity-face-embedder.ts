import sharp from 'sharp';
import { type FaceDescriptorEmbedder, faceDescriptorInput, loadFaceDescriptorEmbedder } from '@trinetra/gpu-worker';
import { type FaceEmbeddingPort, type FacePhotoResult, IdentityErrorCode } from '@trinetra/identity';

/**
 * Smallest face photo side we embed: FaceRes looks at 224x224, and a face crop under 64 px
 * upscaled 3.5x carries too little detail to tell people apart (the shared faces are 150 px).
 */
export const MIN_FACE_SIDE_PX = 64;
/** A face crop is roughly square; a long strip (a banner, a full-body shot) is not one face. */
const MAX_ASPECT = 2;

/**
 * Enrolment's embedder: the worker's FaceRes model run in the server process, loaded (and
 * prepared, if missing) on the first enrolment, so a server that never enrols loads nothing.
 * Each photo is checked on its own and answered with a per-photo error: undecodable or
 * truncated bytes (CORRUPT_PHOTO), too small (FACE_TOO_SMALL), or not a face crop's shape.
 *
 * What this cannot check yet: "no face" and "several faces" need a face detector; the worker's
 * face path (perception issue) brings one, and this class should run photos through it once it
 * is exported. Until then a photo is taken as one centred face crop (docs/IDENTITY.md).
 */
export class LazyFaceEmbedder implements FaceEmbeddingPort {
  readonly model = 'faceres';
  private loading: Promise<FaceDescriptorEmbedder> | null = null;

  constructor(private readonly options: { modelCacheDir?: string } = {}) {}

  async embedFacePhotos(photos: readonly Buffer[]): Promise<FacePhotoResult[]> {
    const checked = await Promise.all(photos.map((photo) => this.crop(photo)));
    const crops = checked.flatMap((c) => ('crop' in c ? [c.crop] : []));
    if (crops.length === 0) return checked.map((c) => ('crop' in c ? failed(IdentityErrorCode.CORRUPT_PHOTO, 'no crop') : c));
    this.loading ??= loadFaceDescriptorEmbedder(this.options.modelCacheDir ? { cacheDir: this.options.modelCacheDir } : {}).catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    const embeddings = await (await this.loading).embed(crops);
    let next = 0;
    return checked.map((c) => ('crop' in c ? { ok: true as const, embedding: embeddings[next++]! } : c));
  }

  private async crop(photo: Buffer): Promise<{ crop: Uint8Array } | Extract<FacePhotoResult, { ok: false }>> {
    let width: number | undefined;
    let height: number | undefined;
    try {
      ({ width, height } = await sharp(photo, { failOn: 'truncated' }).metadata());
    } catch (error) {
      return failed(IdentityErrorCode.CORRUPT_PHOTO, `not a decodable PNG or JPEG (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!width || !height) return failed(IdentityErrorCode.CORRUPT_PHOTO, 'the image has no size');
    if (Math.min(width, height) < MIN_FACE_SIDE_PX) return failed(IdentityErrorCode.FACE_TOO_SMALL, `${width}x${height} px is too small: send a face crop of at least ${MIN_FACE_SIDE_PX} px`);
    if (Math.max(width, height) / Math.min(width, height) > MAX_ASPECT)
      return failed(IdentityErrorCode.NO_FACE, `${width}x${height} px is not a face crop: crop the photo to one face, roughly square`);
    try {
      return { crop: await faceDescriptorInput(photo) };
    } catch (error) {
      return failed(IdentityErrorCode.CORRUPT_PHOTO, `the image does not decode (${error instanceof Error ? error.message : String(error)})`);
    }
  }
}

function failed(code: IdentityErrorCode, message: string): Extract<FacePhotoResult, { ok: false }> {
  return { ok: false, code, message };
}
