import sharp from 'sharp';
import type { PubSub } from 'type-graphql';
import type { CameraStatus } from '@trinetra/db';
import {
  type AdmittedFrameConsumer,
  type CameraRow,
  type CameraRuntime,
  type CameraService,
  type FrameAdmission,
  type FrameSinkContext,
  type FrameSinkResult,
  type FrameSource,
  type SourceFrame,
  type SourceStatus,
} from '@trinetra/ingest';
import {
  ByteTracker,
  CameraTrackingSession,
  type CameraTier,
  type ControlPlane,
  type DeliveredDetections,
  FRAME_RESULTS_TOPIC,
  type FrameResultMessage,
  type LiveTrack,
  PIPELINE_EVENT_TOPIC,
  type PipelineEvent,
  type PipelineEventQuery,
  type PipelineHealth,
  restoreTracker,
  type TenantPipelineView,
  type TrackerCheckpointStore,
  type TrackSummaryRepository,
} from '@trinetra/tracking';
import type { Logger } from '../observability/logger';

const TIER: Record<CameraRow['tier'], CameraTier> = { BILLING: 'billing', CRITICAL: 'critical', STANDARD: 'standard', BEST_EFFORT: 'best_effort', LIVE: 'live' };

const STATUS: Partial<Record<SourceStatus, CameraStatus>> = {
  connecting: 'CONNECTING',
  live: 'LIVE',
  stalled: 'STALLED',
  reconnecting: 'RECONNECTING',
  failed: 'FAILED',
  ended: 'STOPPED',
};

export interface PipelineRuntimeOptions {
  /** Most previews per second per camera (low-resolution JPEG in frameResults). Default 2. */
  previewFps?: number;
  /** Width of previews in pixels. Default 320. */
  previewWidth?: number;
  /** How often a camera's tracker state is checkpointed to Redis, ms. Default 1000. */
  checkpointEveryMs?: number;
}

export interface PipelineRuntimeDeps {
  controlPlane: ControlPlane;
  cameras: CameraService;
  admission: FrameAdmission;
  pubSub: PubSub;
  summaries: TrackSummaryRepository;
  checkpoints: TrackerCheckpointStore;
  logger: Logger;
  /** Builds the source of a camera (null for UPLOAD cameras). */
  createSource: (camera: CameraRow, allowlist: readonly string[]) => FrameSource | null;
  /** The tenant's network allowlist for the SSRF guard of network sources. */
  allowlistOf: (tenantId: string) => Promise<string[]>;
}

/** An admitted source frame with admission's motion estimate. */
type HeldFrame = SourceFrame & { motion?: number };

function motionOf(x: { motion?: number | undefined }): { motion?: number } {
  return x.motion === undefined ? {} : { motion: x.motion };
}

interface RunningCamera {
  tenantId: string;
  camera: CameraRow;
  source: FrameSource | null;
  unsubscribe: () => void;
  session: CameraTrackingSession;
  /**
   * Never-drop frames the control plane pushed back, oldest first: resubmitted in order before
   * the source resumes (a paused source may still deliver the few frames already decoded).
   */
  held: HeldFrame[];
  retryTimer: NodeJS.Timeout | null;
  latestJpeg: Buffer | null;
  lastPreviewAt: number;
  lastCheckpointAt: number;
  /** Last status recorded, so a source repeating one (connecting after CONNECTING) is not republished. */
  status: CameraStatus | null;
}

/**
 * The frame path of every running camera, end to end: source -> admission -> control plane
 * (pending buffer, worker pool) -> tracker session -> `frameResults`, track summaries,
 * checkpoints, pipeline events. It is the camera runtime the camera service starts and stops,
 * the consumer of frames uploaded on `/ingest`, and the tenant-scoped view the GraphQL
 * pipeline resolvers read. One instance per server process.
 */
export class PipelineRuntime implements CameraRuntime, AdmittedFrameConsumer, TenantPipelineView {
  private readonly running = new Map<string, RunningCamera>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly previewIntervalMs: number;
  private readonly previewWidth: number;
  private readonly checkpointEveryMs: number;

  constructor(
    private readonly deps: PipelineRuntimeDeps,
    options: PipelineRuntimeOptions = {},
  ) {
    this.previewIntervalMs = 1000 / (options.previewFps ?? 2);
    this.previewWidth = options.previewWidth ?? 320;
    this.checkpointEveryMs = options.checkpointEveryMs ?? 1000;
    this.unsubscribers.push(deps.controlPlane.onDelivered((frame) => this.onDelivered(frame)));
    this.unsubscribers.push(deps.controlPlane.onEvent((event) => this.onEvent(event)));
  }

  // ---- CameraRuntime ----------------------------------------------------------------------

  async start(ref: { id: string; tenantId: string }): Promise<void> {
    if (this.running.has(ref.id)) await this.stop(ref);
    const camera = await this.deps.cameras.getOrThrow(ref.tenantId, ref.id);
    const restored = await restoreTracker(this.deps.checkpoints, camera.id).catch(() => ({ tracker: new ByteTracker(), origin: 'fresh' as const }));
    const allowlist = await this.deps.allowlistOf(ref.tenantId);
    // A concurrent start (a second phone, startCamera racing a first upload) won: keep its state.
    if (this.running.has(camera.id)) return;
    this.deps.controlPlane.registerCamera(camera.id, TIER[camera.tier]);
    this.deps.admission.configureCamera(camera.id, { tier: camera.tier, targetFps: camera.targetFps });
    const state: RunningCamera = {
      tenantId: ref.tenantId,
      camera,
      source: null,
      unsubscribe: () => undefined,
      session: new CameraTrackingSession(camera.id, restored.tracker),
      held: [],
      retryTimer: null,
      latestJpeg: null,
      lastPreviewAt: 0,
      lastCheckpointAt: 0,
      status: 'CONNECTING',
    };
    this.running.set(camera.id, state);
    const source = this.deps.createSource(camera, allowlist);
    if (!source) return;
    state.source = source;
    state.unsubscribe = source.subscribe({
      onFrame: (frame) => this.offer(state, frame),
      onStatus: (change) => {
        const status = STATUS[change.to];
        if (status) this.setStatus(state, status, change.detail ?? null);
      },
    });
    await source.start();
    // Stopped while the source was starting: stop() saw no source yet, so stop it here.
    if (this.running.get(camera.id) !== state) {
      state.unsubscribe();
      await source.stop();
      return;
    }
    this.deps.logger.info({ cameraId: camera.id, tenantId: ref.tenantId, kind: camera.sourceKind, tracker: restored.origin }, 'camera started');
  }

  /** The camera was stopped: its source stops and its live tracks end (summaries stored). */
  async stop(ref: { id: string; tenantId: string }): Promise<void> {
    const state = await this.detach(ref);
    if (!state) return;
    await this.deps.summaries.save(state.tenantId, state.session.endAll()).catch((err: unknown) => this.deps.logger.error({ err, cameraId: ref.id }, 'could not store track summaries'));
    await this.checkpoint(state, true);
  }

  private async detach(ref: { id: string; tenantId: string }): Promise<RunningCamera | null> {
    const state = this.running.get(ref.id);
    if (!state || state.tenantId !== ref.tenantId) return null;
    this.running.delete(ref.id);
    if (state.retryTimer) clearTimeout(state.retryTimer);
    state.unsubscribe();
    await state.source?.stop().catch((err: unknown) => this.deps.logger.warn({ err, cameraId: ref.id }, 'source did not stop cleanly'));
    this.deps.controlPlane.removeCamera(ref.id);
    this.deps.admission.forgetCamera(ref.id);
    return state;
  }

  /** Starts every camera whose desired state is RUNNING (after a restart). */
  async resume(cameras: readonly { id: string; tenantId: string }[]): Promise<void> {
    for (const camera of cameras) {
      await this.start(camera).catch((err: unknown) => this.deps.logger.error({ err, cameraId: camera.id }, 'could not resume camera'));
    }
  }

  /**
   * The process is shutting down: sources stop and tracker state is checkpointed, but tracks do
   * not end, so a restart within the checkpoint's lifetime keeps their ids.
   */
  async close(): Promise<void> {
    for (const state of [...this.running.values()]) {
      await this.detach({ id: state.camera.id, tenantId: state.tenantId });
      await this.checkpoint(state, true);
    }
    for (const off of this.unsubscribers) off();
  }

  // ---- frames in ----------------------------------------------------------------------------

  /**
   * Uploaded frames, already through admission on the socket: straight to the control plane.
   * A camera whose desired state is not RUNNING refuses them (stopping a camera stops phones).
   * Backpressure is answered, not held: the uploading client keeps and resends the frame.
   */
  async accept(frame: SourceFrame, ctx: FrameSinkContext, admission: { ts: number; motion?: number }): Promise<FrameSinkResult> {
    let state = this.running.get(ctx.cameraId);
    if (!state) {
      const camera = await this.deps.cameras.getOrThrow(ctx.tenantId, ctx.cameraId);
      if (camera.desiredStatus !== 'RUNNING') return { admitted: false, reason: 'camera_stopped' };
      await this.start({ id: ctx.cameraId, tenantId: ctx.tenantId });
      state = this.running.get(ctx.cameraId);
    }
    if (!state || state.tenantId !== ctx.tenantId) return { admitted: false, reason: 'source_failed' };
    this.setStatus(state, 'LIVE', null);
    state.latestJpeg = frame.jpeg;
    const outcome = this.deps.controlPlane.submitFrame({ cameraId: frame.cameraId, seq: frame.seq, image: frame.jpeg, capturedAt: admission.ts, ...motionOf(admission) });
    if (outcome.status === 'admitted') return { admitted: true };
    return { admitted: false, reason: outcome.status === 'dropped' ? outcome.reason : 'backpressure' };
  }

  private offer(state: RunningCamera, frame: SourceFrame): void {
    // Admission is the edge guard (ordering, clock drift, burst suppression); sampling by
    // buffer fill and motion is the control plane's, fed with admission's motion estimate.
    const decision = this.deps.admission.admitFrame(frame);
    if (!decision.admitted) return;
    const admitted: HeldFrame = { ...frame, captureTs: decision.ts, ...motionOf(decision) };
    if (state.held.length > 0) state.held.push(admitted);
    else this.submit(state, admitted);
  }

  /** Source frames into the control plane; a never-drop camera's pushed-back frame is held and retried. */
  private submit(state: RunningCamera, frame: HeldFrame): void {
    state.latestJpeg = frame.jpeg;
    const outcome = this.deps.controlPlane.submitFrame({ cameraId: frame.cameraId, seq: frame.seq, image: frame.jpeg, capturedAt: frame.captureTs, ...motionOf(frame) });
    if (outcome.status !== 'backpressure') return;
    state.held.unshift(frame);
    state.source?.pause();
    state.retryTimer = setTimeout(() => this.retryHeld(state), outcome.retryAfterMs);
  }

  private retryHeld(state: RunningCamera): void {
    state.retryTimer = null;
    if (!this.running.has(state.camera.id)) return;
    while (state.held.length > 0 && state.retryTimer === null) this.submit(state, state.held.shift()!);
    if (state.held.length === 0) state.source?.resume();
  }

  // ---- frames out ---------------------------------------------------------------------------

  private onDelivered(delivered: DeliveredDetections): void {
    const state = this.running.get(delivered.cameraId);
    if (!state) return;
    const { frame, ended } = state.session.update({
      seq: delivered.seq,
      captureTs: delivered.capturedAt,
      width: delivered.result.width,
      height: delivered.result.height,
      persons: delivered.result.persons,
    });
    void this.publishFrame(state, { ...frame, latencyMs: delivered.endToEndMs, preview: null });
    if (ended.length > 0) {
      this.deps.summaries.save(state.tenantId, ended).catch((err: unknown) => this.deps.logger.error({ err, cameraId: state.camera.id }, 'could not store track summaries'));
    }
    void this.checkpoint(state, false);
  }

  private async publishFrame(state: RunningCamera, message: FrameResultMessage): Promise<void> {
    const now = Date.now();
    if (state.latestJpeg && now - state.lastPreviewAt >= this.previewIntervalMs) {
      state.lastPreviewAt = now;
      const jpeg = state.latestJpeg;
      message.preview = await sharp(jpeg)
        .resize({ width: this.previewWidth, withoutEnlargement: true })
        .jpeg({ quality: 50 })
        .toBuffer()
        .then((b) => `data:image/jpeg;base64,${b.toString('base64')}`)
        .catch(() => null);
    }
    this.deps.pubSub.publish(FRAME_RESULTS_TOPIC, state.tenantId, message);
  }

  private async checkpoint(state: RunningCamera, force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - state.lastCheckpointAt < this.checkpointEveryMs) return;
    state.lastCheckpointAt = now;
    await this.deps.checkpoints.save(state.camera.id, state.session.snapshot() as never).catch((err: unknown) => this.deps.logger.warn({ err, cameraId: state.camera.id }, 'tracker checkpoint failed'));
  }

  private onEvent(event: PipelineEvent): void {
    if (event.cameraId === null) {
      for (const tenantId of new Set([...this.running.values()].map((s) => s.tenantId))) this.deps.pubSub.publish(PIPELINE_EVENT_TOPIC, tenantId, event);
      return;
    }
    const state = this.running.get(event.cameraId);
    if (state) this.deps.pubSub.publish(PIPELINE_EVENT_TOPIC, state.tenantId, event);
  }

  private setStatus(state: RunningCamera, status: CameraStatus, reason: string | null): void {
    if (state.status === status) return;
    state.status = status;
    this.deps.cameras.setStatus(state.tenantId, state.camera.id, status, reason).catch((err: unknown) => this.deps.logger.warn({ err, cameraId: state.camera.id, status }, 'could not record camera status'));
  }

  // ---- TenantPipelineView -------------------------------------------------------------------

  private ownedBy(tenantId: string): Set<string> {
    const ids = new Set<string>();
    for (const [id, s] of this.running) if (s.tenantId === tenantId) ids.add(id);
    return ids;
  }

  health(tenantId: string): PipelineHealth {
    const all = this.deps.controlPlane.health();
    const mine = this.ownedBy(tenantId);
    return { ...all, cameras: all.cameras.filter((c) => mine.has(c.cameraId)) };
  }

  events(tenantId: string, query: PipelineEventQuery): PipelineEvent[] {
    const mine = this.ownedBy(tenantId);
    if (query.cameraId && !mine.has(query.cameraId)) return [];
    const last = query.last ?? 100;
    const events = this.deps.controlPlane.events({ ...query, last: Number.MAX_SAFE_INTEGER });
    return events.filter((e) => e.cameraId === null || mine.has(e.cameraId)).slice(-last);
  }

  liveTracks(tenantId: string, cameraId: string): LiveTrack[] | null {
    const state = this.running.get(cameraId);
    if (!state || state.tenantId !== tenantId) return null;
    return state.session.liveTracks().map((t) => ({
      trackId: t.trackId,
      state: t.state as LiveTrack['state'],
      box: { x: t.box[0], y: t.box[1], width: t.box[2] - t.box[0], height: t.box[3] - t.box[1] },
    }));
  }
}
