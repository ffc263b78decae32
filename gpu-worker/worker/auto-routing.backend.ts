import { decodeSimulatedTruth } from '@trinetra/shared';
import type { FrameInferenceResult, FrameInput, InferenceBackend } from '../inference/inference-backend';
import { InferenceError, InferenceErrorCode } from '../inference/inference.error';

/** Options of {@link AutoRoutingBackend}. */
export interface AutoRoutingBackendOptions {
  /** Serves frames that carry simulator ground truth (normally a `SimulatedBackend`). */
  simulated: InferenceBackend;
  /**
   * Creates the real backend (normally the ONNX one). Called at most once, on the first frame
   * without simulated truth, so a worker that only ever sees simulator frames never loads
   * onnxruntime or the models. A rejection is final for this process: it is reported once
   * through `warn` and every later real frame fails with `decode_failed` and the reason.
   */
  loadReal: () => Promise<InferenceBackend>;
  /**
   * Decides where a frame goes. Default: the JPEG carries readable simulator ground truth
   * (`decodeSimulatedTruth`); a frame with damaged truth goes to the real model, which sees a
   * plain JPEG.
   */
  isSimulated?: (image: Buffer) => boolean;
  /** Operator-facing warnings (the load failure). Default: silent. */
  warn?: (message: string) => void;
}

type RealState = { status: 'ready'; backend: InferenceBackend } | { status: 'failed'; message: string };

/**
 * The `auto` inference backend: routes each frame of a micro-batch by its content. Simulator
 * frames (JPEGs with ground truth in COM segments) go to the simulated backend, every other
 * frame to the real model, so one worker pool serves demo cameras and real cameras side by side.
 * Each part runs as one batch call (both in parallel) and results come back in input order,
 * each naming the backend that produced it.
 *
 * A real backend that fails to load does not stop the worker: simulated frames keep flowing and
 * real frames are reported `decode_failed` with the load error. A real backend that throws for a
 * whole batch fails the batch, as it would without the router (the control plane's breaker
 * counts it).
 */
export class AutoRoutingBackend implements InferenceBackend {
  readonly name = 'auto';
  private readonly isSimulated: (image: Buffer) => boolean;
  private readonly warn: (message: string) => void;
  private real: Promise<RealState> | undefined;
  private closed = false;

  constructor(private readonly options: AutoRoutingBackendOptions) {
    this.isSimulated = options.isSimulated ?? ((image) => decodeSimulatedTruth(image) !== null);
    this.warn = options.warn ?? (() => undefined);
  }

  async infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]> {
    const simulatedAt: number[] = [];
    const realAt: number[] = [];
    frames.forEach((frame, i) => (this.isSimulated(frame.image) ? simulatedAt : realAt).push(i));

    const [simulated, real] = await Promise.allSettled([this.runPart(this.options.simulated, frames, simulatedAt), this.runReal(frames, realAt)]);
    if (simulated.status === 'rejected') throw simulated.reason;
    if (real.status === 'rejected') throw real.reason;

    const results = new Array<FrameInferenceResult>(frames.length);
    simulatedAt.forEach((at, k) => (results[at] = simulated.value[k] as FrameInferenceResult));
    realAt.forEach((at, k) => (results[at] = real.value[k] as FrameInferenceResult));
    return results;
  }

  /** Closes the simulated backend and the real one if it was loaded (waiting for a load in progress). */
  async close(): Promise<void> {
    this.closed = true;
    const real = await this.real;
    await Promise.all([this.options.simulated.close(), real?.status === 'ready' ? real.backend.close() : undefined]);
  }

  private async runReal(frames: readonly FrameInput[], at: readonly number[]): Promise<FrameInferenceResult[]> {
    if (at.length === 0) return [];
    const state = await this.loadRealOnce();
    if (state.status === 'failed') {
      return at.map((i) => ({ frameId: (frames[i] as FrameInput).frameId, ok: false, reason: 'decode_failed', message: state.message }));
    }
    return this.runPart(state.backend, frames, at);
  }

  private loadRealOnce(): Promise<RealState> {
    if (this.closed) return Promise.resolve({ status: 'failed', message: 'inference backend is closed' });
    this.real ??= this.options.loadReal().then(
      (backend): RealState => ({ status: 'ready', backend }),
      (error: unknown): RealState => {
        const reason = error instanceof Error ? error.message : String(error);
        this.warn(
          `auto backend: the real inference backend could not be loaded; frames without simulated ground truth fail until the worker restarts: ${reason}`,
        );
        return { status: 'failed', message: `real inference backend unavailable: ${reason}` };
      },
    );
    return this.real;
  }

  private async runPart(backend: InferenceBackend, frames: readonly FrameInput[], at: readonly number[]): Promise<FrameInferenceResult[]> {
    if (at.length === 0) return [];
    const part = at.map((i) => frames[i] as FrameInput);
    const results = await backend.infer(part);
    if (results.length !== part.length || results.some((r, k) => r.frameId !== part[k]?.frameId)) {
      throw new InferenceError(InferenceErrorCode.RUN_FAILED, `backend ${backend.name} did not return one result per frame in input order`, {
        backend: backend.name,
        frames: part.length,
        results: results.length,
      });
    }
    return results.map((result) => (result.ok && result.backend === undefined ? { ...result, backend: backend.name } : result));
  }
}
