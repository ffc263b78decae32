import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { decodeMoveNetSinglePose, personCrop } from '../postprocess/movenet-singlepose.decoder';
import type { ScoredBox } from '../postprocess/non-max-suppression';
import { type MergeOptions, type RegionBox, mergeRegionBoxes } from '../postprocess/tile-merge';
import { type FrameRaster, decodeFrame, detectionRegions, resizeRegion, sampleSquareInto } from '../preprocess/frame-raster';
import { ImageDecodeError } from '../preprocess/letterbox.preprocessor';
import type { FrameInferenceResult, FrameInput, InferenceBackend, InferenceProvenance, PersonDetection } from './inference-backend';
import { InferenceError, InferenceErrorCode } from './inference.error';
import type { LoadedSession } from './onnx-session.factory';
import { inputDim } from './onnx-session.factory';
import type { PersonDetectorAdapter } from './person-detector.adapter';

/** Options of {@link OnnxSceneBackend}. */
export interface SceneBackendOptions extends MergeOptions {
  /** Crop side as a multiple of the person box's longer side. Default 1.25. */
  cropScale?: number;
  /**
   * A detection whose pose has a mean keypoint score below this is dropped. Default 0.2: on
   * vtest.avi traffic cones pass the detector at 0.3-0.35 but score 0.08-0.12 here, people
   * 0.35-0.7.
   */
  minPoseScore?: number;
}

/** The single-person pose model: MoveNet SinglePose (Lightning 192 or Thunder 256), int32 `[1, S, S, 3]`. */
export interface SinglePoseModel {
  loaded: LoadedSession;
  /** Name in provenance, e.g. `movenet-lightning`. */
  name: string;
}

/**
 * SCENE perception on onnxruntime-node: a COCO person detector over the whole frame (and, when
 * the frame asks for it, over 2x2 overlapping tiles, merged with NMS across the seams), then
 * MoveNet SinglePose on a square crop around each person, keypoints mapped back to the frame.
 * Built for fixed store cameras where people are 50-300 px tall and many: MultiPose at 256 px
 * misses them (it sees a 768 px frame at a third of its size and reports at most 6).
 *
 * The pose graph fixes its batch at 1 (its decoder squeezes the batch axis), so crops run one
 * after another on the same session; onnxruntime-node runs each call on the calling thread,
 * so parallelism comes from `intraOpThreads` and from worker processes, not from concurrent calls.
 * A frame that cannot be decoded gets `decode_failed`; the others go on.
 */
export class OnnxSceneBackend implements InferenceBackend {
  readonly name: string;
  readonly provenance: InferenceProvenance;
  private readonly poseSize: number;
  private readonly cropScale: number;
  private readonly minPoseScore: number;

  constructor(
    private readonly detector: { loaded: LoadedSession; adapter: PersonDetectorAdapter },
    private readonly pose: SinglePoseModel,
    private readonly options: SceneBackendOptions = {},
  ) {
    const size = inputDim(pose.loaded.session, 1);
    const meta = pose.loaded.session.inputMetadata[0];
    if (!meta?.isTensor || meta.type !== 'int32' || !size || inputDim(pose.loaded.session, 2) !== size || inputDim(pose.loaded.session, 3) !== 3) {
      throw new InferenceError(
        InferenceErrorCode.MODEL_INVALID,
        `${pose.loaded.modelPath} is not a MoveNet SinglePose model (want an int32 [1, S, S, 3] input); re-run \`npm run models:prepare\``,
        { file: pose.loaded.modelPath },
      );
    }
    this.poseSize = size;
    this.cropScale = options.cropScale ?? 1.25;
    this.minPoseScore = options.minPoseScore ?? 0.2;
    this.provenance = { backend: 'onnx', model: `${detector.adapter.kind}+${pose.name}` };
    this.name = `onnx:${this.provenance.model}`;
  }

  /** The execution provider the detector runs on. */
  get executionProvider(): 'cuda' | 'cpu' {
    return this.detector.loaded.executionProvider;
  }

  async infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]> {
    // Decoding runs on libuv's pool (sharp), so a batch decodes in parallel with itself.
    const rasters = await Promise.all(
      frames.map((f) =>
        decodeFrame(f.image).catch((error: unknown) => {
          if (error instanceof ImageDecodeError) return error;
          throw error;
        }),
      ),
    );
    const results: FrameInferenceResult[] = [];
    for (const [i, frame] of frames.entries()) {
      const raster = rasters[i] as FrameRaster | ImageDecodeError;
      if (raster instanceof ImageDecodeError) {
        results.push({ frameId: frame.frameId, ok: false, reason: 'decode_failed', message: raster.message });
        continue;
      }
      const started = performance.now();
      const persons = await this.inferFrame(raster, frame.tiled === true);
      results.push({
        frameId: frame.frameId,
        ok: true,
        width: raster.width,
        height: raster.height,
        persons,
        inferenceMs: performance.now() - started,
        provenance: this.provenance,
      });
    }
    return results;
  }

  /** Persons of one decoded frame, best first. */
  async inferFrame(raster: FrameRaster, tiled: boolean): Promise<PersonDetection[]> {
    const boxes = await this.detect(raster, tiled);
    const persons: PersonDetection[] = [];
    const size = this.poseSize;
    const input = new Int32Array(size * size * 3);
    const tensor = new ort.Tensor('int32', input, [1, size, size, 3]);
    const session = this.pose.loaded.session;
    for (const b of boxes) {
      const box = { x: b.x1, y: b.y1, width: b.x2 - b.x1, height: b.y2 - b.y1 };
      const crop = personCrop(box, this.cropScale);
      sampleSquareInto(raster, crop.x, crop.y, crop.side, size, input, 0);
      const out = await this.run(this.pose.loaded, { [session.inputNames[0] as string]: tensor });
      const data = out[session.outputNames[0] as string]?.data;
      if (!(data instanceof Float32Array)) throw new InferenceError(InferenceErrorCode.RUN_FAILED, `${this.pose.loaded.modelPath}: no float32 output`, {});
      const keypoints = decodeMoveNetSinglePose(data, crop);
      if (keypoints.reduce((sum, k) => sum + k.score, 0) / keypoints.length < this.minPoseScore) continue;
      persons.push({ box, score: b.score, keypoints });
    }
    return persons;
  }

  /** Person boxes in frame pixels after merging whole-frame and tile detections. */
  async detect(raster: FrameRaster, tiled: boolean): Promise<ScoredBox[]> {
    const { adapter, loaded } = this.detector;
    const regions = detectionRegions(raster.width, raster.height, tiled);
    const inputs = await Promise.all(regions.map((r) => resizeRegion(raster, r, adapter.inputSize, adapter.inputSize)));
    const candidates: RegionBox[] = [];
    for (const [k, region] of regions.entries()) {
      const out = await this.run(loaded, { [loaded.session.inputNames[0] as string]: adapter.toInput(inputs[k] as Uint8Array) });
      const sx = region.width / adapter.inputSize;
      const sy = region.height / adapter.inputSize;
      for (const b of adapter.decode(out)) {
        const box = {
          x1: clamp(region.x + b.x1 * sx, 0, raster.width),
          y1: clamp(region.y + b.y1 * sy, 0, raster.height),
          x2: clamp(region.x + b.x2 * sx, 0, raster.width),
          y2: clamp(region.y + b.y2 * sy, 0, raster.height),
          score: b.score,
        };
        if (box.x2 - box.x1 >= 2 && box.y2 - box.y1 >= 2) candidates.push({ box, region });
      }
    }
    return mergeRegionBoxes(candidates, raster.width, raster.height, this.options);
  }

  private async run(loaded: LoadedSession, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
    try {
      return (await loaded.session.run(feeds)) as Record<string, ort.Tensor>;
    } catch (cause) {
      throw new InferenceError(
        InferenceErrorCode.RUN_FAILED,
        `model ${loaded.modelPath} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        {
          file: loaded.modelPath,
        },
        { cause },
      );
    }
  }

  async close(): Promise<void> {
    await this.detector.loaded.session.release();
    await this.pose.loaded.session.release();
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
