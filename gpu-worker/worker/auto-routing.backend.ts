import type { FrameInferenceResult, FrameInput, InferenceBackend } from '../inference/inference-backend';
import { InferenceError, InferenceErrorCode } from '../inference/inference.error';
import type { FramePerception } from './frame-batch.contract';

/** The perceptions served by a real (model) backend. */
export type RealPerception = Exclude<FramePerception, 'SIMULATED'>;

/** Options of {@link AutoRoutingBackend}. */
export interface AutoRoutingBackendOptions {
  /** Serves `SIMULATED` frames (normally a `SimulatedBackend`: the ground truth in the JPEG). */
  simulated: InferenceBackend;
  /**
   * Create the real backend of each perception (`SCENE`: detector + top-down pose;
   * `CLOSE_UP`: MultiPose). Each is called at most once, on the first frame that needs it, so a
   * worker that only ever sees simulator frames never loads onnxruntime or a model. A rejection
   * is final for this process: it is reported once through `warn` and every later frame of that
   * perception fails with `decode_failed` and the reason.
   */
  load: Readonly<Record<RealPerception, () => Promise<InferenceBackend>>>;
  /** Operator-facing warnings (a load failure). Default: silent. */
  warn?: (message: string) => void;
  /** Name in logs. Default `auto`. */
  name?: string;
}

type RealState = { status: 'ready'; backend: InferenceBackend } | { status: 'failed'; message: string };

const ROUTES = ['SIMULATED', 'SCENE', 'CLOSE_UP'] as const satisfies readonly FramePerception[];

/**
 * The `auto` inference backend: routes each frame of a micro-batch by its `perception`, which
 * the server set from the camera. The bytes are never inspected: an uploaded JPEG that carries
 * the simulator's ground-truth comment but arrives as `SCENE` or `CLOSE_UP` runs the real model,
 * and only `SIMULATED` frames (simulator cameras) are answered from the ground truth. Each
 * perception's part runs as one batch call (all in parallel) and results come back in input
 * order, each naming the backend and the models that produced it.
 *
 * A real backend that fails to load does not stop the worker: the other perceptions keep
 * flowing and that perception's frames are reported `decode_failed` with the load error. A
 * backend that throws for a whole batch fails the batch, as it would without the router (the
 * control plane's breaker counts it).
 */
export class AutoRoutingBackend implements InferenceBackend {
  readonly name: string;
  private readonly warn: (message: string) => void;
  private readonly real = new Map<RealPerception, Promise<RealState>>();
  private closed = false;

  constructor(private readonly options: AutoRoutingBackendOptions) {
    this.warn = options.warn ?? (() => undefined);
    this.name = options.name ?? 'auto';
  }

  async infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]> {
    const at = new Map<FramePerception, number[]>(ROUTES.map((r) => [r, []]));
    frames.forEach((frame, i) => at.get(frame.perception)?.push(i));
    const parts = await Promise.allSettled(
      ROUTES.map((route) => {
        const indexes = at.get(route) ?? [];
        return route === 'SIMULATED' ? this.runPart(this.options.simulated, frames, indexes) : this.runReal(route, frames, indexes);
      }),
    );
    const results = new Array<FrameInferenceResult>(frames.length);
    ROUTES.forEach((route, r) => {
      const part = parts[r] as PromiseSettledResult<FrameInferenceResult[]>;
      if (part.status === 'rejected') throw part.reason;
      (at.get(route) ?? []).forEach((i, k) => (results[i] = part.value[k] as FrameInferenceResult));
    });
    const unrouted = frames.findIndex((_, i) => results[i] === undefined);
    if (unrouted >= 0) {
      throw new InferenceError(InferenceErrorCode.RUN_FAILED, `frame ${frames[unrouted]?.frameId} has no known perception`, {
        perception: frames[unrouted]?.perception,
      });
    }
    return results;
  }

  /** Closes the simulated backend and every real one that loaded (waiting for loads in progress). */
  async close(): Promise<void> {
    this.closed = true;
    const loaded = await Promise.all(this.real.values());
    await Promise.all([this.options.simulated.close(), ...loaded.map((s) => (s.status === 'ready' ? s.backend.close() : undefined))]);
  }

  private async runReal(perception: RealPerception, frames: readonly FrameInput[], at: readonly number[]): Promise<FrameInferenceResult[]> {
    if (at.length === 0) return [];
    const state = await this.loadOnce(perception);
    if (state.status === 'failed') {
      return at.map((i) => ({ frameId: (frames[i] as FrameInput).frameId, ok: false, reason: 'decode_failed', message: state.message }));
    }
    return this.runPart(state.backend, frames, at);
  }

  private loadOnce(perception: RealPerception): Promise<RealState> {
    if (this.closed) return Promise.resolve({ status: 'failed', message: 'inference backend is closed' });
    let state = this.real.get(perception);
    if (!state) {
      state = this.options.load[perception]().then(
        (backend): RealState => ({ status: 'ready', backend }),
        (error: unknown): RealState => {
          const reason = error instanceof Error ? error.message : String(error);
          this.warn(`auto backend: the ${perception} inference backend could not be loaded; ${perception} frames fail until the worker restarts: ${reason}`);
          return { status: 'failed', message: `${perception} inference backend unavailable: ${reason}` };
        },
      );
      this.real.set(perception, state);
    }
    return state;
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
