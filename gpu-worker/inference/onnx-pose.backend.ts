import { performance } from 'node:perf_hooks';
import { faceRegionFromKeypoints } from '../postprocess/face-embedding';
import { ImageDecodeError, type LetterboxedImage, cropSquare, letterboxImage } from '../preprocess/letterbox.preprocessor';
import type { ArcFaceEmbedder } from './arcface-embedder';
import type { FrameInferenceResult, FrameInput, InferenceBackend, PersonDetection } from './inference-backend';
import { InferenceError, InferenceErrorCode } from './inference.error';
import type { LoadedSession } from './onnx-session.factory';
import type { PoseModelAdapter } from './pose-model.adapter';

type Prepared = { ok: true; image: LetterboxedImage } | { ok: false; message: string };

/**
 * Pose (and optional face embedding) inference on onnxruntime-node. Sessions are created once
 * (see createInferenceBackend) and shared by every call. A micro-batch is decoded and
 * letterboxed concurrently (sharp runs on libuv's pool), then run in chunks of the model's
 * batch size. A frame that cannot be decoded gets `decode_failed` and the others go on.
 * `inferenceMs` of a frame is its share of the chunk's `session.run` plus its decoding of
 * outputs and, when asked, its embeddings; preprocessing is not included.
 */
export class OnnxPoseBackend implements InferenceBackend {
  readonly name: string;

  constructor(
    private readonly pose: { loaded: LoadedSession; adapter: PoseModelAdapter },
    private readonly embedder?: { loaded: LoadedSession; embedder: ArcFaceEmbedder },
  ) {
    this.name = `onnx:${pose.adapter.kind}`;
  }

  /** The execution provider the pose session runs on. */
  get executionProvider(): 'cuda' | 'cpu' {
    return this.pose.loaded.executionProvider;
  }

  async infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]> {
    const a = this.pose.adapter;
    const prepared = await Promise.all(
      frames.map(async (f): Promise<Prepared> => {
        try {
          return { ok: true, image: await letterboxImage(f.image, { width: a.inputWidth, height: a.inputHeight, padValue: a.padValue }) };
        } catch (error) {
          if (error instanceof ImageDecodeError) return { ok: false, message: error.message };
          throw error;
        }
      }),
    );
    const results: FrameInferenceResult[] = new Array(frames.length);
    const valid: number[] = [];
    prepared.forEach((p, i) => {
      const frame = frames[i] as FrameInput;
      if (p.ok) valid.push(i);
      else results[i] = { frameId: frame.frameId, ok: false, reason: 'decode_failed', message: p.message };
    });
    for (let c = 0; c < valid.length; c += a.maxBatch) {
      const chunk = valid.slice(c, c + a.maxBatch);
      const images = chunk.map((i) => (prepared[i] as { image: LetterboxedImage }).image);
      const started = performance.now();
      const persons = await this.runPose(images);
      const runShare = (performance.now() - started) / chunk.length;
      for (let k = 0; k < chunk.length; k++) {
        const i = chunk[k] as number;
        const frame = frames[i] as FrameInput;
        const t = (images[k] as LetterboxedImage).transform;
        const found = persons[k] ?? [];
        const embedStarted = performance.now();
        if (frame.wantEmbeddings && this.embedder) await this.attachEmbeddings(frame.image, found, t.sourceWidth, t.sourceHeight);
        results[i] = {
          frameId: frame.frameId,
          ok: true,
          width: t.sourceWidth,
          height: t.sourceHeight,
          persons: found,
          inferenceMs: runShare + (performance.now() - embedStarted),
          provenance: { backend: 'onnx', model: this.pose.adapter.kind },
        };
      }
    }
    return results;
  }

  private async runPose(images: readonly LetterboxedImage[]): Promise<PersonDetection[][]> {
    const { loaded, adapter } = this.pose;
    const session = loaded.session;
    try {
      const out = await session.run({ [session.inputNames[0] as string]: adapter.toInput(images.map((i) => i.rgb)) });
      const tensor = out[session.outputNames[0] as string];
      if (!tensor) throw new Error('no output');
      return adapter.decode(
        tensor,
        images.map((i) => i.transform),
      );
    } catch (cause) {
      if (cause instanceof InferenceError) throw cause;
      throw new InferenceError(InferenceErrorCode.RUN_FAILED, `pose model ${loaded.modelPath} failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
        file: loaded.modelPath,
      }, { cause });
    }
  }

  /** Face crops from the pose keypoints, embedded in one call per frame. */
  private async attachEmbeddings(image: Buffer, persons: PersonDetection[], width: number, height: number): Promise<void> {
    const embedder = this.embedder?.embedder;
    if (!embedder) return;
    const withFace: PersonDetection[] = [];
    const crops: Uint8Array[] = [];
    for (const p of persons) {
      const region = faceRegionFromKeypoints(p.keypoints, width, height);
      if (!region) continue;
      try {
        crops.push(await cropSquare(image, region, embedder.size));
        withFace.push(p);
      } catch (error) {
        if (!(error instanceof ImageDecodeError)) throw error;
      }
    }
    if (crops.length === 0) return;
    const vectors = await embedder.embed(crops);
    withFace.forEach((p, i) => {
      const v = vectors[i];
      if (v) p.embedding = v;
    });
  }

  async close(): Promise<void> {
    await this.pose.loaded.session.release();
    await this.embedder?.loaded.session.release();
  }
}

/** The default backend: MoveNet MultiPose (the name the worker pool and docs use). */
export class OnnxMoveNetBackend extends OnnxPoseBackend {}
