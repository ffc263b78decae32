import * as ort from 'onnxruntime-node';
import { l2Normalize } from '../postprocess/face-embedding';
import { type PixelNormalization, type TensorLayout, packImages } from '../preprocess/tensor-layout';
import { InferenceError, InferenceErrorCode } from './inference.error';
import { type LoadedSession, inputDim } from './onnx-session.factory';

/** Options of {@link ArcFaceEmbedder}. */
export interface ArcFaceEmbedderOptions {
  /** Input layout; `auto` reads it from the model (channels of 3 at axis 1 means NCHW). Default auto. */
  layout?: TensorLayout | 'auto';
  /**
   * Pixel normalization. Default (x - 127.5) / 128, RGB: what MobileFaceNet was trained with;
   * insightface ArcFace exports use (x - 127.5) / 127.5.
   */
  normalization?: PixelNormalization;
  /** Faces per call when the batch axis is symbolic. Default 16. */
  maxBatch?: number;
}

/**
 * `arcface-112` adapter: 112x112 face crops in, one L2-normalized embedding per face out.
 * Serves the prepared MobileFaceNet and operators' ArcFace ONNX models.
 */
export class ArcFaceEmbedder {
  readonly size: number;
  private readonly layout: TensorLayout;
  private readonly norm: PixelNormalization;
  private readonly maxBatch: number;

  constructor(
    private readonly loaded: LoadedSession,
    options: ArcFaceEmbedderOptions = {},
  ) {
    const session = loaded.session;
    const nchw = inputDim(session, 1) === 3;
    this.layout = options.layout && options.layout !== 'auto' ? options.layout : nchw ? 'nchw' : 'nhwc';
    const side = this.layout === 'nchw' ? inputDim(session, 2) : inputDim(session, 1);
    const meta = session.inputMetadata[0];
    if (!meta?.isTensor || meta.type !== 'float32' || side !== 112) {
      throw new InferenceError(
        InferenceErrorCode.MODEL_INVALID,
        `${loaded.modelPath} is not an arcface-112 model (want a float32 112x112x3 input); re-run \`npm run models:prepare\` or fix the embedding model path`,
        { file: loaded.modelPath },
      );
    }
    this.size = side;
    this.norm = options.normalization ?? { mean: 127.5, std: 128 };
    this.maxBatch = inputDim(session, 0) ?? options.maxBatch ?? 16;
  }

  /** Embeds packed RGB crops of `size` x `size`; batches where the model allows. */
  async embed(crops: readonly Uint8Array[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < crops.length; i += this.maxBatch) {
      const chunk = crops.slice(i, i + this.maxBatch);
      const s = this.size;
      const dims = this.layout === 'nchw' ? [chunk.length, 3, s, s] : [chunk.length, s, s, 3];
      const input = new ort.Tensor('float32', packImages(chunk, s, s, this.layout, 'float32', this.norm), dims);
      const session = this.loaded.session;
      const result = await session.run({ [session.inputNames[0] as string]: input });
      const t = result[session.outputNames[0] as string];
      if (!t || !(t.data instanceof Float32Array)) {
        throw new InferenceError(InferenceErrorCode.MODEL_INVALID, `${this.loaded.modelPath}: expected a float32 embedding output`, {
          file: this.loaded.modelPath,
        });
      }
      const dim = t.data.length / chunk.length;
      for (let j = 0; j < chunk.length; j++) out.push(l2Normalize(t.data.subarray(j * dim, (j + 1) * dim)));
    }
    return out;
  }
}
