import * as ort from 'onnxruntime-node';
import { ensurePreparedModels } from '../models/prepared-model.store';
import { BLAZEFACE_SIDE, type BlazeFaceDecodeOptions, type BlazeFaceTransform, type DetectedFace, decodeBlazeFace } from '../postprocess/blazeface.decoder';
import { type FaceAlignment, faceAlignment } from '../preprocess/face-alignment';
import { type FrameRaster, resizeRegion } from '../preprocess/frame-raster';
import { InferenceError, InferenceErrorCode } from './inference.error';
import { type LoadedSession, loadOnnxSession } from './onnx-session.factory';

/**
 * Black border added around a photo, as a fraction of its longer side: the full-range model
 * is trained on faces that fill part of the view, and on tight face crops (the shared faces,
 * typical enrolment photos) without a border it misses some faces and reports face parts.
 */
export const PHOTO_MARGIN = 0.5;

/**
 * A photo as BlazeFace input: the whole image with a {@link PHOTO_MARGIN} border scaled to fit
 * 256x256 (sharp's filtered resize, aspect kept), centred on black (-1 after scaling), RGB
 * scaled to [-1, 1] NHWC.
 */
export async function blazeFaceInput(frame: FrameRaster, margin = PHOTO_MARGIN): Promise<{ data: Float32Array; transform: BlazeFaceTransform }> {
  const s = BLAZEFACE_SIDE;
  const scale = s / (Math.max(frame.width, frame.height) * (1 + margin));
  const w = Math.max(1, Math.min(s, Math.round(frame.width * scale)));
  const h = Math.max(1, Math.min(s, Math.round(frame.height * scale)));
  const padX = Math.floor((s - w) / 2);
  const padY = Math.floor((s - h) / 2);
  const rgb = await resizeRegion(frame, { x: 0, y: 0, width: frame.width, height: frame.height }, w, h);
  const data = new Float32Array(s * s * 3).fill(-1);
  for (let y = 0; y < h; y++) {
    let o = ((y + padY) * s + padX) * 3;
    let i = y * w * 3;
    for (let x = 0; x < w * 3; x++) data[o++] = (rgb[i++] as number) / 127.5 - 1;
  }
  return { data, transform: { scale, padX, padY } };
}

/**
 * The eye-keypoint alignment of a detected face (preprocess/face-alignment.ts, the live path's),
 * so enrolment photos and camera faces are cropped the same way. BlazeFace's keypoints are put
 * in COCO order (1 left eye, 2 right eye: the person's own sides). Its eyes sit 7.5% further
 * apart than MultiPose's on the same face, so enrolment crops are that much tighter than live
 * ones; a template correcting it was measured and not adopted (FACE_TEMPLATE's note).
 */
export function alignDetectedFace(face: DetectedFace, minEyeDistance = 8): FaceAlignment | undefined {
  const [rightEye, leftEye, nose] = face.keypoints;
  if (!rightEye || !leftEye || !nose) return undefined;
  return faceAlignment([nose, leftEye, rightEye], { minKeypointScore: 0, minEyeDistance });
}

/** BlazeFace (full-range) on onnxruntime: faces of a decoded photo, best first, in its pixels. */
export class FaceDetector {
  constructor(private readonly loaded: LoadedSession) {
    const meta = loaded.session.inputMetadata[0];
    if (!meta?.isTensor || meta.type !== 'float32' || loaded.session.outputNames.length !== 4) {
      throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${loaded.modelPath} is not BlazeFace (want a float32 input and 4 outputs); re-run \`npm run models:prepare\``, {
        file: loaded.modelPath,
      });
    }
  }

  async detect(frame: FrameRaster, options: BlazeFaceDecodeOptions = {}): Promise<DetectedFace[]> {
    const { data, transform } = await blazeFaceInput(frame);
    const session = this.loaded.session;
    const result = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', data, [1, BLAZEFACE_SIDE, BLAZEFACE_SIDE, 3]) });
    const outputs = session.outputNames.map((n) => {
      const t = result[n];
      // By its declared type, not `instanceof Float32Array`: under jest the array comes from another realm.
      if (!t || t.type !== 'float32') throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${this.loaded.modelPath}: output ${n} is not float32`, { file: this.loaded.modelPath });
      return t.data as Float32Array;
    });
    try {
      return decodeBlazeFace(outputs, transform, options);
    } catch (cause) {
      throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${this.loaded.modelPath}: ${cause instanceof Error ? cause.message : String(cause)}`, { file: this.loaded.modelPath });
    }
  }
}

/** Prepares `blazeface` when missing or stale (gpu-worker/models/prepared-model.store.ts) and loads it on the CPU. */
export async function loadFaceDetector(options: { cacheDir?: string; intraOpThreads?: number } = {}): Promise<FaceDetector> {
  const [prepared] = await ensurePreparedModels({ models: ['blazeface'], ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
  if (!prepared) throw new InferenceError(InferenceErrorCode.MODEL_FILE_MISSING, 'blazeface was not prepared', {});
  const loaded = await loadOnnxSession(prepared.onnxPath, { preferCuda: false, intraOpThreads: options.intraOpThreads ?? 1 });
  return new FaceDetector(loaded);
}
