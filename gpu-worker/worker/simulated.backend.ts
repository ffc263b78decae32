import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { decodeSimulatedTruth } from '@trinetra/shared';
import type { FrameInferenceResult, FrameInput, InferenceBackend, InferenceProvenance, PersonDetection } from '../inference/inference-backend';

/** Provenance of every result of this backend. */
export const SIMULATED_PROVENANCE: InferenceProvenance = { backend: 'simulated', model: 'ground-truth' };

/** Options of {@link SimulatedBackend}. */
export interface SimulatedBackendOptions {
  /** Pretend compute per batch in ms (default 2): models batch overhead. */
  batchMs?: number;
  /** Pretend compute per frame in ms (default 0.5). */
  frameMs?: number;
  /** Uniform random extra ms per batch (default 0): makes batches finish out of order. */
  jitterMs?: number;
}

/**
 * The `simulated` inference backend: returns the ground truth the simulator spliced into each
 * frame (`decodeSimulatedTruth`) as detections, after a configurable pretend compute time. It
 * serves tests and load generation through exactly the path a real model takes. A JPEG without
 * truth yields `decode_failed` for that frame only.
 */
export class SimulatedBackend implements InferenceBackend {
  readonly name = 'simulated';
  private readonly batchMs: number;
  private readonly frameMs: number;
  private readonly jitterMs: number;

  constructor(options: SimulatedBackendOptions = {}) {
    this.batchMs = options.batchMs ?? 2;
    this.frameMs = options.frameMs ?? 0.5;
    this.jitterMs = options.jitterMs ?? 0;
  }

  async infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]> {
    const started = performance.now();
    const delay = this.batchMs + this.frameMs * frames.length + Math.random() * this.jitterMs;
    if (delay > 0) await sleep(delay);
    const inferenceMs = performance.now() - started;
    return frames.map((frame): FrameInferenceResult => {
      const truth = decodeSimulatedTruth(frame.image);
      if (truth === null) return { frameId: frame.frameId, ok: false, reason: 'decode_failed', message: 'no simulated ground truth in frame' };
      const persons = truth.persons
        .filter((p) => p.visibility > 0)
        .map((p): PersonDetection => ({ box: { ...p.box }, score: Math.min(1, 0.5 + p.visibility / 2), keypoints: p.keypoints.map((k) => ({ ...k })) }));
      return { frameId: frame.frameId, ok: true, width: truth.width, height: truth.height, persons, inferenceMs, provenance: SIMULATED_PROVENANCE };
    });
  }

  async close(): Promise<void> {
    return undefined;
  }
}
