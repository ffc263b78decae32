import { performance } from 'node:perf_hooks';
import { type FaceAlignmentOptions, faceAlignment, sampleAlignedFaceInto } from '../preprocess/face-alignment';
import { type FrameRaster, decodeFrame } from '../preprocess/frame-raster';
import { ImageDecodeError } from '../preprocess/letterbox.preprocessor';
import { FACE_DESCRIPTOR_SIDE } from './face-descriptor.embedder';
import type { FrameInferenceResult, FrameInput, InferenceBackend, PersonDetection } from './inference-backend';

/** What this stage needs of the identity embedder (FaceDescriptorEmbedder: FaceRes, 224x224 RGB in, unit vectors out). */
export interface FaceEmbedder {
  embed(crops: readonly Uint8Array[]): Promise<number[][]>;
}

/** Options of {@link FaceEmbeddingBackend}. */
export interface FaceEmbeddingBackendOptions extends FaceAlignmentOptions {
  /** Loads the embedder on the first frame that asks for faces (a worker of cameras without identity never loads it). */
  loadEmbedder: () => Promise<FaceEmbedder>;
  /** Operator-facing warnings (the embedder failed to load). Default: silent. */
  warn?: (message: string) => void;
}

/**
 * Face embeddings for cameras with identity on, around any pose backend. The server sets
 * `wantEmbeddings` per frame from the camera's consent (`faces` in the frame batch contract);
 * the worker never decides it. For such frames that a real model answered, each person whose
 * eyes the pose model saw gets an eye-aligned 224x224 face crop, and all faces of the batch go
 * through the embedder in one run; the vector is attached to its person and no image leaves the
 * worker. Ground-truth (simulated) results are never embedded: their keypoints were not seen.
 *
 * If the embedder cannot be loaded, persons come back without vectors (warned once): tracking
 * goes on, identity just sees nobody.
 */
export class FaceEmbeddingBackend implements InferenceBackend {
  readonly name: string;
  private embedder: Promise<FaceEmbedder | null> | null = null;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly inner: InferenceBackend,
    private readonly options: FaceEmbeddingBackendOptions,
  ) {
    this.name = inner.name;
    this.warn = options.warn ?? (() => undefined);
  }

  async infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]> {
    // The inner backends never embed themselves: this stage is the one face path.
    const results = await this.inner.infer(frames.map((f) => (f.wantEmbeddings ? { ...f, wantEmbeddings: false } : f)));
    const wanted = frames.flatMap((f, i) => {
      const r = results[i];
      return f.wantEmbeddings && f.perception !== 'SIMULATED' && r?.ok && r.provenance.backend === 'onnx' && r.persons.length > 0 ? [i] : [];
    });
    if (wanted.length === 0) return results;
    const embedder = await this.loadEmbedder();
    if (!embedder) return results;

    const started = performance.now();
    const side = FACE_DESCRIPTOR_SIDE;
    const owners: PersonDetection[] = [];
    const crops: Uint8Array[] = [];
    const perFrame = new Map<number, number>();
    await Promise.all(
      wanted.map(async (i) => {
        const result = results[i] as Extract<FrameInferenceResult, { ok: true }>;
        const aligned = result.persons.flatMap((p) => {
          const a = faceAlignment(p.keypoints, this.options);
          return a ? [{ person: p, alignment: a }] : [];
        });
        if (aligned.length === 0) return;
        // Decoded again at full size: the pose backends keep only their letterboxed or cropped inputs.
        const raster: FrameRaster | null = await decodeFrame((frames[i] as FrameInput).image).catch((error: unknown) => {
          if (error instanceof ImageDecodeError) return null;
          throw error;
        });
        if (!raster) return;
        for (const { person, alignment } of aligned) {
          const crop = new Uint8Array(side * side * 3);
          sampleAlignedFaceInto(raster, alignment, side, crop, 0);
          owners.push(person);
          crops.push(crop);
          perFrame.set(i, (perFrame.get(i) ?? 0) + 1);
        }
      }),
    );
    if (crops.length === 0) return results;
    const vectors = await embedder.embed(crops);
    owners.forEach((person, k) => {
      const v = vectors[k];
      if (v) person.embedding = v;
    });
    // The batch's embedding time is shared among its frames by their number of faces.
    const ms = performance.now() - started;
    for (const [i, count] of perFrame) {
      const r = results[i];
      if (r?.ok) r.inferenceMs += (ms * count) / crops.length;
    }
    return results;
  }

  private loadEmbedder(): Promise<FaceEmbedder | null> {
    this.embedder ??= this.options.loadEmbedder().catch((error: unknown) => {
      this.warn(`face embedder failed to load; persons go without face embeddings: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
    return this.embedder;
  }

  async close(): Promise<void> {
    await this.inner.close();
  }
}
