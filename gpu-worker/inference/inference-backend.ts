/**
 * The one interface every inference backend implements (the `simulated` backend for tests and
 * load, the ONNX backends for real models). The worker process knows only this.
 */

import type { FramePerception } from '../worker/frame-batch.contract';

/** One frame to run: the encoded image exactly as the source produced it (JPEG). */
export interface FrameInput {
  frameId: string;
  cameraId: string;
  seq: number;
  image: Buffer;
  /**
   * How to look at it, decided by the server from the camera (never from the bytes): `SCENE`
   * (person detector + pose per person), `CLOSE_UP` (MultiPose on the whole frame) or
   * `SIMULATED` (the simulator's ground truth). A backend that serves one kind ignores it.
   */
  perception: FramePerception;
  /** SCENE only: also run the detector on 2x2 overlapping tiles. */
  tiled?: boolean;
  /** Ask for a face embedding per person (costs a second model call). */
  wantEmbeddings?: boolean;
}

/** A keypoint in original image pixels. */
export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

/** Axis-aligned box in original image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PersonDetection {
  box: Box;
  score: number;
  /** 17 COCO keypoints in COCO order for the default model (33 for BlazePose). */
  keypoints: Keypoint[];
  /** L2-normalized face embedding, when requested and a face was found. */
  embedding?: number[];
}

/** What produced a frame's detections (reported with every result). */
export interface InferenceProvenance {
  backend: 'simulated' | 'onnx';
  /** The models, e.g. `ground-truth`, `movenet-multipose`, `nanodet-m+movenet-lightning`. */
  model: string;
}

export type FrameInferenceResult =
  | {
      frameId: string;
      ok: true;
      width: number;
      height: number;
      persons: PersonDetection[];
      inferenceMs: number;
      provenance: InferenceProvenance;
      /** Which backend produced this frame, when it differs per frame (set by the `auto` router); default: the backend's `name`. */
      backend?: string;
    }
  | { frameId: string; ok: false; reason: 'decode_failed'; message: string };

export interface InferenceBackend {
  /** Shown in logs and metrics, e.g. `simulated`, `onnx:movenet-multipose`. */
  readonly name: string;
  /** Runs a micro-batch; one result per input, same order. Never throws for one bad frame. */
  infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]>;
  close(): Promise<void>;
}
