import {
  type DetectedFace,
  FACE_DESCRIPTOR_SIDE,
  type FaceDescriptorEmbedder,
  type FaceDetector,
  type FrameRaster,
  alignDetectedFace,
  decodeFrame,
  loadFaceDescriptorEmbedder,
  loadFaceDetector,
  sampleAlignedFaceInto,
} from '@trinetra/gpu-worker';
import { type FaceEmbeddingPort, type FacePhotoResult, IdentityErrorCode } from '@trinetra/identity';

/** Smallest photo side we look at: a photo under 64 px cannot hold a face worth embedding. */
export const MIN_FACE_SIDE_PX = 64;
/**
 * Smallest eye distance (photo pixels) of a face we embed. FaceRes sees the aligned face at
 * 224 px with the eyes 81 px apart; under 20 px apart that is a 4x upscale of a ~55 px face,
 * too little detail to tell people apart (the shared faces have ~50 px between the eyes).
 */
export const MIN_EYE_DISTANCE_PX = 20;
/**
 * A second face counts when its box is at least this fraction of the largest face's width:
 * a photo of two people is refused (enrolment would not know whose face it is), a tiny face
 * in the background (a poster, a passer-by) is not.
 */
export const COMPARABLE_FACE_RATIO = 0.5;

type Checked = { crop: Uint8Array } | Extract<FacePhotoResult, { ok: false }>;

/**
 * Enrolment's (and matchFacePhoto's) face path, run in the server process: decode, find the
 * faces with BlazeFace, refuse photos with no face, several faces of comparable size or a face
 * too small, align the one face by its eye keypoints exactly as the live path does
 * (gpu-worker/preprocess/face-alignment.ts) and embed it with FaceRes. Both models load (and
 * are prepared, if missing) on the first photo, so a server that never enrols loads nothing.
 * Every photo gets its own result; the caller enrols only when all are ok.
 */
export class LazyFaceEmbedder implements FaceEmbeddingPort {
  readonly model = 'faceres';
  private loading: Promise<{ embedder: FaceDescriptorEmbedder; detector: FaceDetector }> | null = null;

  constructor(private readonly options: { modelCacheDir?: string } = {}) {}

  async embedFacePhotos(photos: readonly Buffer[]): Promise<FacePhotoResult[]> {
    const models = await this.models();
    const checked: Checked[] = [];
    // One photo after another: the detector's session runs on the calling thread anyway.
    for (const photo of photos) checked.push(await this.crop(photo, models.detector));
    const crops = checked.flatMap((c) => ('crop' in c ? [c.crop] : []));
    const embeddings = crops.length > 0 ? await models.embedder.embed(crops) : [];
    let next = 0;
    return checked.map((c) => ('crop' in c ? { ok: true as const, embedding: embeddings[next++]! } : c));
  }

  private models(): Promise<{ embedder: FaceDescriptorEmbedder; detector: FaceDetector }> {
    const cache = this.options.modelCacheDir ? { cacheDir: this.options.modelCacheDir } : {};
    this.loading ??= (async () => {
      const detector = await loadFaceDetector(cache);
      const embedder = await loadFaceDescriptorEmbedder(cache);
      return { embedder, detector };
    })().catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return this.loading;
  }

  private async crop(photo: Buffer, detector: FaceDetector): Promise<Checked> {
    let frame: FrameRaster;
    try {
      frame = await decodeFrame(photo);
    } catch (error) {
      return failed(IdentityErrorCode.CORRUPT_PHOTO, `not a decodable PNG or JPEG (${error instanceof Error ? error.message : String(error)})`);
    }
    const { width, height } = frame;
    if (Math.min(width, height) < MIN_FACE_SIDE_PX) return failed(IdentityErrorCode.FACE_TOO_SMALL, `${width}x${height} px is too small: send a photo of at least ${MIN_FACE_SIDE_PX} px`);
    const faces = await detector.detect(frame);
    if (faces.length === 0) return failed(IdentityErrorCode.NO_FACE, `no face found in the ${width}x${height} px photo`);
    const face = largest(faces);
    const comparable = faces.filter((f) => f.box.width >= COMPARABLE_FACE_RATIO * face.box.width);
    if (comparable.length > 1) return failed(IdentityErrorCode.MULTIPLE_FACES, `${comparable.length} faces found: send a photo of one person`);
    const alignment = alignDetectedFace(face, 0);
    if (!alignment || alignment.eyeDistance < MIN_EYE_DISTANCE_PX) {
      return failed(IdentityErrorCode.FACE_TOO_SMALL, `the face is too small (eyes ${Math.round(alignment?.eyeDistance ?? 0)} px apart, at least ${MIN_EYE_DISTANCE_PX} needed)`);
    }
    const crop = new Uint8Array(FACE_DESCRIPTOR_SIDE * FACE_DESCRIPTOR_SIDE * 3);
    sampleAlignedFaceInto(frame, alignment, FACE_DESCRIPTOR_SIDE, crop, 0);
    return { crop };
  }
}

function largest(faces: readonly DetectedFace[]): DetectedFace {
  return faces.reduce((a, b) => (b.box.width * b.box.height > a.box.width * a.box.height ? b : a));
}

function failed(code: IdentityErrorCode, message: string): Extract<FacePhotoResult, { ok: false }> {
  return { ok: false, code, message };
}
