import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { l2Normalize } from '../postprocess/face-embedding';
import { ImageDecodeError } from '../preprocess/letterbox.preprocessor';
import { packImages } from '../preprocess/tensor-layout';
import { InferenceError, InferenceErrorCode } from './inference.error';
import { type LoadedSession, inputDim, loadOnnxSession } from './onnx-session.factory';
import { ensurePreparedModels } from '../models/prepared-model.store';

/** Side of the FaceRes input (NHWC, RGB). */
export const FACE_DESCRIPTOR_SIDE = 224;

/**
 * A face photo as FaceRes input: the centred square of the image (the whole of a square face
 * crop) stretched to 224x224, packed RGB. Centre crop, not eye-keypoint alignment: measured on
 * the shared faces, tighter centre crops (90%, 80%) only lowered the true-accept rate.
 */
export async function faceDescriptorInput(image: Buffer): Promise<Uint8Array> {
  if (image.length === 0) throw new ImageDecodeError('empty image');
  try {
    const meta = await sharp(image, { failOn: 'truncated' }).metadata();
    if (!meta.width || !meta.height) throw new ImageDecodeError('image has no size');
    const side = Math.min(meta.width, meta.height);
    const left = Math.floor((meta.width - side) / 2);
    const top = Math.floor((meta.height - side) / 2);
    const data = await sharp(image, { failOn: 'truncated' })
      .removeAlpha()
      .toColourspace('srgb')
      .extract({ left, top, width: side, height: side })
      .resize(FACE_DESCRIPTOR_SIDE, FACE_DESCRIPTOR_SIDE, { fit: 'fill' })
      .raw()
      .toBuffer();
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  } catch (cause) {
    if (cause instanceof ImageDecodeError) throw cause;
    throw new ImageDecodeError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

/**
 * The identity embedder: the prepared `faceres` model (gpu-worker/models/model-catalog.ts),
 * 224x224 RGB crops in raw 0-255 (the scale it was measured at; 0-1 input collapses every
 * face to the same vector), one L2-normalised 1024-d descriptor per face out.
 */
export class FaceDescriptorEmbedder {
  private readonly maxBatch: number;

  constructor(
    private readonly loaded: LoadedSession,
    options: { maxBatch?: number } = {},
  ) {
    const meta = loaded.session.inputMetadata[0];
    const side = inputDim(loaded.session, 1);
    if (!meta?.isTensor || meta.type !== 'float32' || side !== FACE_DESCRIPTOR_SIDE || inputDim(loaded.session, 3) !== 3) {
      throw new InferenceError(
        InferenceErrorCode.MODEL_INVALID,
        `${loaded.modelPath} is not a FaceRes descriptor model (want a float32 224x224x3 NHWC input); re-run \`npm run models:prepare\``,
        { file: loaded.modelPath },
      );
    }
    this.maxBatch = inputDim(loaded.session, 0) ?? options.maxBatch ?? 8;
  }

  /** Embeds packed RGB crops of 224x224 (see {@link faceDescriptorInput}). */
  async embed(crops: readonly Uint8Array[]): Promise<number[][]> {
    const out: number[][] = [];
    const s = FACE_DESCRIPTOR_SIDE;
    for (let i = 0; i < crops.length; i += this.maxBatch) {
      const chunk = crops.slice(i, i + this.maxBatch);
      const input = new ort.Tensor('float32', packImages(chunk, s, s, 'nhwc', 'float32', { mean: 0, std: 1 }), [chunk.length, s, s, 3]);
      const session = this.loaded.session;
      const result = await session.run({ [session.inputNames[0] as string]: input });
      const t = result[session.outputNames[0] as string];
      // By its declared type, not `instanceof Float32Array`: under jest the array comes from another realm.
      if (!t || t.type !== 'float32' || t.data.length % chunk.length !== 0) {
        throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${this.loaded.modelPath}: expected a float32 descriptor output`, {
          file: this.loaded.modelPath,
        });
      }
      const data = t.data as Float32Array;
      const dim = data.length / chunk.length;
      for (let j = 0; j < chunk.length; j++) out.push(l2Normalize(data.subarray(j * dim, (j + 1) * dim)));
    }
    return out;
  }
}

/** Prepares `faceres` when missing or stale (gpu-worker/models/prepared-model.store.ts) and loads it on the CPU. */
export async function loadFaceDescriptorEmbedder(options: { cacheDir?: string; intraOpThreads?: number } = {}): Promise<FaceDescriptorEmbedder> {
  const [prepared] = await ensurePreparedModels({ models: ['faceres'], ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) });
  if (!prepared) throw new InferenceError(InferenceErrorCode.MODEL_FILE_MISSING, 'faceres was not prepared', {});
  const loaded = await loadOnnxSession(prepared.onnxPath, { preferCuda: false, intraOpThreads: options.intraOpThreads ?? 1 });
  return new FaceDescriptorEmbedder(loaded);
}
