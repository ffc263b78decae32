import type { CameraStatus } from '@trinetra/db';
import { IngestCloseCode, type AdmittedFrameConsumer, type CameraRuntime, type FrameAdmission, type FrameSinkContext, type FrameSinkResult, type SourceFrame, type SourceStatus } from '@trinetra/ingest';
import type { CameraDirectory, CameraRef, CameraStatusReason } from '@trinetra/shared';
import { restoreTracker, ByteTracker, type ByteTrackerOptions } from '../domain/mot';
import { CameraTrackingSession, type TrackFaceEmbedding, type TrackedFrame } from '../domain/session';
import type { PipelineEvent, PipelineEventQuery, PipelineHealth, SubmitOutcome } from '../domain/supervision';
import type { ControlPlane, DeliveredDetections } from '../application/control-plane.service';
import { MotError, MotErrorCode, type TrackerCheckpointStore } from '../domain/mot';
import type { LiveTrack, TenantPipelineView } from '../graphql/pipeline.resolver';
import { CameraRun, type AdmittedFrame } from './camera-run';
import type { CameraCommand, CameraControlBus, CameraOwnership } from './camera-ownership';
import { framePerceptionOf, trackerOptionsFor } from './frame-perception';
import { PipelineFaults } from './pipeline-faults';
import type { CameraSourceFactory, CameraStatusSink, PipelineLogger, PipelinePublisher, TrackSummaryStore } from './pipeline-ports';
import { PreviewThrottle } from './preview.renderer';

const STATUS: Partial<Record<SourceStatus, CameraStatus>> = {
  connecting: 'CONNECTING',
  live: 'LIVE',
  stalled: 'STALLED',
  reconnecting: 'RECONNECTING',
  failed: 'FAILED',
  ended: 'STOPPED',
};

export interface FramePipelineOptions {
  /** Most previews per second per camera (low-resolution JPEG in frameResults). Default 2. */
  previewFps?: number;
  /** Width of previews in pixels. Default 320. */
  previewWidth?: number;
  /** How often a camera's tracker state is checkpointed to Redis, ms. Default 1000. */
  checkpointEveryMs?: number;
  /** Processed frames in a row without a person before a camera warns "no one detected". Default 100. */
  noDetectionWarningFrames?: number;
  /**
   * With ownership: an UPLOAD camera that received no frame for this long is handed back
   * (checkpointed, lease released) so its uploader may reconnect to any replica. Default 10000.
   */
  uploadIdleMs?: number;
}

export interface FramePipelineDeps {
  controlPlane: ControlPlane;
  admission: FrameAdmission;
  cameras: CameraDirectory;
  statuses: CameraStatusSink;
  publisher: PipelinePublisher;
  summaries: TrackSummaryStore;
  checkpoints: TrackerCheckpointStore;
  /**
   * Each tracked frame's face embeddings (cameras with identity on), for identity's live
   * matching; called after onTracked, only when the frame has faces. Never published.
   */
  onFaces?: (tenantId: string, cameraId: string, frame: TrackedFrame, faces: readonly TrackFaceEmbedding[]) => void;
  createSource: CameraSourceFactory;
  logger: PipelineLogger;
  /** Each tracked frame, after it went out (analytics); synchronous, so it must be cheap. */
  onTracked?: (tenantId: string, cameraId: string, frame: TrackedFrame) => void;
  /**
   * The camera was stopped and its tracks ended: its next run numbers tracks from 1 again, so
   * whatever other modules keep per track id of this camera (identity's names and anonymous
   * visits, analytics' person keys) must go now, or a new person would inherit them.
   * Synchronous. Not called when a camera is handed to another replica (its tracks continue).
   */
  onTracksEnded?: (tenantId: string, cameraId: string) => void;
  /**
   * Camera leases (several replicas): a camera runs here only while this replica holds its
   * lease, and its checkpoints are fenced by it. Absent: one process owns every camera.
   */
  ownership?: CameraOwnership;
  /** Start/stop requests for cameras another replica owns (with `ownership`). */
  control?: CameraControlBus;
}

function motionOf(x: { motion?: number | undefined }): { motion?: number } {
  return x.motion === undefined ? {} : { motion: x.motion };
}

/**
 * The path of one frame, for every camera running in this process (docs/ARCHITECTURE.md,
 * "The path of a frame"): source -> admission -> control plane (pending buffer, worker pool) ->
 * tracker session -> frame results, track summaries, checkpoints and pipeline events through
 * ports. It is the camera runtime ingest's camera service starts and stops, the consumer of
 * frames uploaded on `/ingest`, and the tenant-scoped view the pipeline resolvers read.
 */
export class FramePipeline implements CameraRuntime, AdmittedFrameConsumer, TenantPipelineView {
  readonly faults: PipelineFaults;
  private readonly running = new Map<string, CameraRun>();
  private readonly unsubscribers: (() => void)[] = [];
  private readonly previewFps: number;
  private readonly previewWidth: number;
  private readonly checkpointEveryMs: number;
  private readonly noDetectionWarningFrames: number | undefined;
  private readonly uploadIdleMs: number;

  constructor(
    private readonly deps: FramePipelineDeps,
    options: FramePipelineOptions = {},
  ) {
    this.faults = new PipelineFaults(deps.logger);
    this.previewFps = options.previewFps ?? 2;
    this.previewWidth = options.previewWidth ?? 320;
    this.checkpointEveryMs = options.checkpointEveryMs ?? 1000;
    this.noDetectionWarningFrames = options.noDetectionWarningFrames;
    this.uploadIdleMs = options.uploadIdleMs ?? 10_000;
    this.unsubscribers.push(deps.controlPlane.onDelivered((frame) => this.onDelivered(frame)));
    this.unsubscribers.push(deps.controlPlane.onEvent((event) => this.onEvent(event)));
    if (deps.control) this.unsubscribers.push(deps.control.subscribe((command) => void this.onCommand(command)));
    this.unsubscribers.push(
      deps.controlPlane.onFault((fault) =>
        this.faults.record(fault.kind === 'transport' ? 'transport' : 'delivery_listener', fault.error, { cameraId: fault.cameraId }),
      ),
    );
  }

  // ---- CameraRuntime ----------------------------------------------------------------------

  /**
   * Starts (or restarts, after a change) the camera here when this replica owns it or can take
   * its lease; otherwise asks its owner to restart it.
   */
  async start(camera: CameraRef): Promise<void> {
    if (!(await this.claim(camera, true))) {
      this.deps.control?.send({ op: 'start', tenantId: camera.tenantId, cameraId: camera.id });
      return;
    }
    await this.startOwned(camera);
  }

  /** Whether this replica may run the camera (holds or took its lease; always without ownership). */
  private async claim(camera: { id: string }, takeParked: boolean): Promise<boolean> {
    const ownership = this.deps.ownership;
    if (!ownership) return true;
    return (await ownership.claim(camera.id, { takeParked })) !== null;
  }

  private async startOwned(camera: CameraRef): Promise<void> {
    const previous = this.running.get(camera.id);
    if (previous) await this.stopHere(previous);
    const tracker = await this.restoreTracker(camera, trackerOptionsFor(framePerceptionOf(camera).perception));
    const allowlist = camera.sourceKind === 'NETWORK' ? await this.deps.cameras.networkAllowlist(camera.tenantId) : [];
    // A concurrent start (a second phone, startCamera racing a first upload) won: keep its state.
    if (this.running.has(camera.id)) return;
    this.deps.controlPlane.registerCamera(camera.id, camera.tier, framePerceptionOf(camera));
    this.deps.admission.configureCamera(camera.id, { tier: camera.tier, targetFps: camera.targetFps });
    const run = new CameraRun(
      camera,
      new CameraTrackingSession(camera.id, tracker),
      new PreviewThrottle(this.previewFps, this.previewWidth),
      (r, frame) => this.submit(r, frame),
      this.noDetectionWarningFrames,
    );
    this.running.set(camera.id, run);
    const source = this.deps.createSource(camera, allowlist);
    if (!source) return;
    run.source = source;
    run.unsubscribe = source.subscribe({
      onFrame: (frame) => this.offer(run, frame),
      onStatus: (change) => {
        const status = STATUS[change.to];
        if (status) this.setStatus(run, status, change.detail ?? null, change.reason ?? null);
        // A failed source produces nothing more: the camera leaves the runtime (tracks end,
        // summaries stored), so nothing reports it live or waiting again. An ended file stays
        // until stopped: its last frames may still be with a worker.
        if (change.to === 'failed') void this.retire(run);
      },
    });
    await source.start();
    // Stopped while the source was starting: stop() saw no source yet, so stop it here.
    if (this.running.get(camera.id) !== run) {
      run.dispose();
      await source.stop();
      return;
    }
    this.deps.logger.info({ cameraId: camera.id, tenantId: camera.tenantId, kind: camera.sourceKind }, 'camera started');
  }

  /**
   * The camera was stopped: its source stops and its live tracks end (summaries stored). Its
   * lease is released, or parked when the camera is still meant to run (its source ended or
   * failed: failover must not restart it elsewhere). A camera another replica owns is stopped there.
   */
  async stop(ref: { id: string; tenantId: string }): Promise<void> {
    const run = this.running.get(ref.id);
    if (run && run.tenantId === ref.tenantId) await this.stopHere(run);
    const ownership = this.deps.ownership;
    if (!ownership) return;
    if (!ownership.owns(ref.id)) {
      if (!run) this.deps.control?.send({ op: 'stop', tenantId: ref.tenantId, cameraId: ref.id });
      return;
    }
    const camera = await this.deps.cameras.find(ref.tenantId, ref.id);
    if (camera?.desiredStatus === 'RUNNING' && !this.running.has(ref.id)) await ownership.park(ref.id);
    else if (!this.running.has(ref.id)) await ownership.release(ref.id);
  }

  /** Stops the camera in this process (tracks end, checkpoint written); its lease is kept. */
  private async stopHere(run: CameraRun): Promise<void> {
    if (!(await this.detach(run.camera))) return;
    await this.saveSummaries(run, run.session.endAll());
    await this.checkpoint(run, true);
    try {
      this.deps.onTracksEnded?.(run.tenantId, run.camera.id);
    } catch (err) {
      this.faults.record('delivery_listener', err, { cameraId: run.camera.id, consumer: 'onTracksEnded' });
    }
  }

  /** A camera whose source is done: detached and its tracks ended, if it is still this run. */
  private async retire(run: CameraRun): Promise<void> {
    // After the status change has been delivered to every listener of this source.
    await Promise.resolve();
    if (this.running.get(run.camera.id) !== run) return;
    await this.stop(run.camera).catch((err: unknown) => this.faults.record('source_stop', err, { cameraId: run.camera.id }));
  }

  /**
   * Starts every camera whose desired state is RUNNING (after a restart) and whose lease this
   * replica wins; cameras another replica owns, or parked ones, are left alone.
   */
  async resume(): Promise<void> {
    for (const camera of await this.deps.cameras.listDesiredRunning()) {
      if (this.running.has(camera.id)) continue;
      await this.resumeOne(camera);
    }
  }

  private async resumeOne(camera: CameraRef): Promise<void> {
    try {
      if (await this.claim(camera, false)) await this.startOwned(camera);
    } catch (err) {
      this.faults.record('camera_resume', err, { cameraId: camera.id, tenantId: camera.tenantId });
    }
  }

  /**
   * With ownership: renews this replica's leases and, every renewal interval, takes over running
   * cameras nobody holds (their owner died or shut down) and stops owned cameras no longer meant
   * to run (a stop whose command was lost). Call after {@link resume}.
   */
  startOwnershipLoop(): void {
    this.deps.ownership?.start({
      onLost: (cameraId, why) => void this.lose(cameraId, why),
      reconcile: () => this.reconcile(),
      onError: (err) => this.faults.record('lease', err, {}),
    });
  }

  private async reconcile(): Promise<void> {
    const ownership = this.deps.ownership;
    if (!ownership) return;
    const desired = await this.deps.cameras.listDesiredRunning();
    const wanted = new Set(desired.map((c) => c.id));
    for (const cameraId of ownership.ownedCameraIds()) {
      const run = this.running.get(cameraId);
      if (wanted.has(cameraId)) continue;
      if (run) await this.stopHere(run);
      await ownership.release(cameraId);
    }
    for (const camera of desired) {
      // An UPLOAD camera is taken by the replica its uploader reaches, on the first frame (after
      // a hand-back or its owner's death), never by whichever replica looks first.
      if (camera.sourceKind === 'UPLOAD') continue;
      if (!ownership.owns(camera.id) && !this.running.has(camera.id)) await this.resumeOne(camera);
    }
    const idleSince = Date.now() - this.uploadIdleMs;
    for (const run of [...this.running.values()]) {
      if (run.camera.sourceKind === 'UPLOAD' && run.lastFrameAt < idleSince) await this.handBack(run);
    }
  }

  /** Checkpoints the camera without ending its tracks and releases its lease: its next owner continues them. */
  private async handBack(run: CameraRun): Promise<void> {
    if (!(await this.detach(run.camera))) return;
    await run.publishing;
    await this.checkpoint(run, true);
    await this.deps.ownership?.release(run.camera.id);
  }

  /** The camera's lease went to another replica (or could not be renewed): stop here, write nothing. */
  private async lose(cameraId: string, why: string): Promise<void> {
    this.deps.ownership?.forget(cameraId);
    const run = this.running.get(cameraId);
    if (!run) return;
    this.faults.record('lease', new Error(`camera lease lost: ${why}`), { cameraId, tenantId: run.tenantId });
    await this.detach(run.camera);
  }

  /** A start or stop made on another replica for a camera this one owns. */
  private async onCommand(command: CameraCommand): Promise<void> {
    if (!this.deps.ownership?.owns(command.cameraId)) return;
    try {
      if (command.op === 'stop') {
        await this.stop({ id: command.cameraId, tenantId: command.tenantId });
        return;
      }
      const camera = await this.deps.cameras.find(command.tenantId, command.cameraId);
      if (camera?.desiredStatus === 'RUNNING') await this.startOwned(camera);
    } catch (err) {
      this.faults.record('camera_resume', err, { cameraId: command.cameraId, tenantId: command.tenantId });
    }
  }

  /**
   * The process is shutting down: sources stop and tracker state is checkpointed, but tracks do
   * not end, so a restart within the checkpoint's lifetime keeps their ids.
   */
  async close(): Promise<void> {
    await this.deps.ownership?.stop();
    for (const run of [...this.running.values()]) {
      await this.detach(run.camera);
      // Results already tracked go out before the state that counts them is written.
      await run.publishing;
      await this.checkpoint(run, true);
    }
    // Released, not kept until they expire: the other replicas take these cameras at once.
    const ownership = this.deps.ownership;
    if (ownership) await Promise.all(ownership.ownedCameraIds().map((id) => ownership.release(id).catch((err: unknown) => this.faults.record('lease', err, { cameraId: id }))));
    for (const off of this.unsubscribers) off();
  }

  private async restoreTracker(camera: CameraRef, options: ByteTrackerOptions): Promise<ByteTracker> {
    try {
      const restored = await restoreTracker(this.deps.checkpoints, camera.id, options);
      if (restored.origin === 'discarded') this.deps.logger.warn({ cameraId: camera.id }, 'tracker checkpoint was invalid: starting a fresh tracker');
      return restored.tracker;
    } catch (err) {
      this.faults.record('checkpoint_load', err, { cameraId: camera.id, tenantId: camera.tenantId });
      return new ByteTracker(options);
    }
  }

  private async detach(ref: { id: string; tenantId: string }): Promise<CameraRun | null> {
    const run = this.running.get(ref.id);
    if (!run || run.tenantId !== ref.tenantId) return null;
    this.running.delete(ref.id);
    run.dispose();
    await run.source?.stop().catch((err: unknown) => this.faults.record('source_stop', err, { cameraId: ref.id }));
    this.deps.controlPlane.removeCamera(ref.id);
    this.deps.admission.forgetCamera(ref.id);
    return run;
  }

  // ---- frames in ----------------------------------------------------------------------------

  /**
   * Uploaded frames, already through admission on the socket: straight to the control plane.
   * A camera whose desired state is not RUNNING refuses them (stopping a camera stops phones).
   * Backpressure is answered, not held: the uploading client keeps and resends the frame.
   */
  async accept(frame: SourceFrame, ctx: FrameSinkContext, admission: { ts: number; motion?: number }): Promise<FrameSinkResult> {
    let run = this.running.get(ctx.cameraId);
    if (!run) {
      const camera = await this.deps.cameras.find(ctx.tenantId, ctx.cameraId);
      if (!camera || camera.desiredStatus !== 'RUNNING') return { admitted: false, reason: 'camera_stopped' };
      if (!(await this.claim(camera, true))) {
        // Another replica owns the camera: refused, never processed twice (docs/ingest-protocol.md).
        return { admitted: false, reason: 'camera_stopped', close: { code: IngestCloseCode.NotOwner, reason: 'camera owned by another replica: reconnect' } };
      }
      await this.startOwned(camera);
      run = this.running.get(ctx.cameraId);
    }
    if (!run || run.tenantId !== ctx.tenantId) return { admitted: false, reason: 'source_failed' };
    this.setStatus(run, 'LIVE', null);
    run.lastFrameAt = Date.now();
    run.latestJpeg = frame.jpeg;
    const outcome = this.deps.controlPlane.submitFrame({
      cameraId: frame.cameraId,
      seq: frame.seq,
      image: frame.jpeg,
      capturedAt: admission.ts,
      ...motionOf(admission),
    });
    if (outcome.status === 'admitted') return { admitted: true };
    return { admitted: false, reason: outcome.status === 'dropped' ? outcome.reason : 'backpressure' };
  }

  private offer(run: CameraRun, frame: SourceFrame): void {
    // Admission is the edge guard (ordering, clock drift, burst suppression); sampling by
    // buffer fill and motion is the control plane's, fed with admission's motion estimate.
    const decision = this.deps.admission.admitFrame(frame);
    if (!decision.admitted) return;
    run.held.offer({ ...frame, captureTs: decision.ts, ...motionOf(decision) });
    if (decision.backpressure) run.slowDown(1000 / run.camera.targetFps);
  }

  private submit(run: CameraRun, frame: AdmittedFrame): SubmitOutcome {
    run.latestJpeg = frame.jpeg;
    return this.deps.controlPlane.submitFrame({ cameraId: frame.cameraId, seq: frame.seq, image: frame.jpeg, capturedAt: frame.captureTs, ...motionOf(frame) });
  }

  // ---- frames out ---------------------------------------------------------------------------

  private onDelivered(delivered: DeliveredDetections): void {
    const run = this.running.get(delivered.cameraId);
    if (!run) return;
    const { frame, ended, faces } = run.session.update({
      seq: delivered.seq,
      captureTs: delivered.capturedAt,
      width: delivered.result.width,
      height: delivered.result.height,
      persons: delivered.result.persons,
      provenance: delivered.result.provenance,
    });
    run.detections.frame(delivered.result.persons.length, delivered.result.width, delivered.result.height);
    // Chained per camera: a frame whose preview is still rendering must not be overtaken.
    run.publishing = run.publishing.then(() => this.publishFrame(run, frame, delivered.endToEndMs));
    if (ended.length > 0) void this.saveSummaries(run, ended);
    void this.checkpoint(run, false);
    try {
      this.deps.onTracked?.(run.tenantId, run.camera.id, frame);
    } catch (err) {
      this.faults.record('delivery_listener', err, { cameraId: run.camera.id, consumer: 'onTracked' });
    }
    if (faces.length === 0) return;
    try {
      this.deps.onFaces?.(run.tenantId, run.camera.id, frame, faces);
    } catch (err) {
      this.faults.record('delivery_listener', err, { cameraId: run.camera.id, consumer: 'onFaces' });
    }
  }

  private async publishFrame(run: CameraRun, frame: ReturnType<CameraTrackingSession['update']>['frame'], latencyMs: number): Promise<void> {
    const preview = await run.previews.render(run.latestJpeg, Date.now()).catch((err: unknown) => {
      this.faults.record('preview_render', err, { cameraId: run.camera.id });
      return null;
    });
    this.deps.publisher.frameResult(run.tenantId, { ...frame, latencyMs, preview });
  }

  private async saveSummaries(run: CameraRun, ended: Parameters<TrackSummaryStore['save']>[1]): Promise<void> {
    await this.deps.summaries
      .save(run.tenantId, ended)
      .catch((err: unknown) => this.faults.record('summary_save', err, { cameraId: run.camera.id, tracks: ended.length }));
  }

  private async checkpoint(run: CameraRun, force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - run.lastCheckpointAt < this.checkpointEveryMs) return;
    run.lastCheckpointAt = now;
    const ownership = this.deps.ownership;
    const fence = ownership?.holderOf(run.camera.id) ?? undefined;
    // Only the owner writes a camera's tracker state, and only under its fencing token.
    if (ownership && fence === undefined) return;
    await this.deps.checkpoints.save(run.camera.id, run.session.snapshot() as never, fence).catch((err: unknown) => {
      if (err instanceof MotError && err.code === MotErrorCode.CHECKPOINT_FENCED) void this.lose(run.camera.id, 'checkpoint refused: stale fencing token');
      else this.faults.record('checkpoint_save', err, { cameraId: run.camera.id });
    });
  }

  private onEvent(event: PipelineEvent): void {
    if (event.cameraId === null) {
      for (const tenantId of new Set([...this.running.values()].map((r) => r.tenantId))) this.deps.publisher.pipelineEvent(tenantId, event);
      return;
    }
    const run = this.running.get(event.cameraId);
    if (run) this.deps.publisher.pipelineEvent(run.tenantId, event);
  }

  private setStatus(run: CameraRun, status: CameraStatus, detail: string | null, reason: CameraStatusReason | null = null): void {
    if (run.status === status) return;
    run.status = status;
    this.deps.statuses
      .record(run.tenantId, run.camera.id, status, detail, reason)
      .catch((err: unknown) => this.faults.record('status_write', err, { cameraId: run.camera.id, status }));
  }

  // ---- TenantPipelineView -------------------------------------------------------------------

  private ownedBy(tenantId: string): Set<string> {
    const ids = new Set<string>();
    for (const [id, r] of this.running) if (r.tenantId === tenantId) ids.add(id);
    return ids;
  }

  health(tenantId: string): PipelineHealth {
    const all = this.deps.controlPlane.health();
    const mine = this.ownedBy(tenantId);
    const cameras = all.cameras
      .filter((c) => mine.has(c.cameraId))
      .map((c) => {
        const watch = this.running.get(c.cameraId)?.detections;
        return { ...c, framesWithoutPeople: watch?.framesWithoutPeople ?? 0, noDetectionWarning: watch?.warning() ?? null };
      });
    return { ...all, cameras };
  }

  events(tenantId: string, query: PipelineEventQuery): PipelineEvent[] {
    const mine = this.ownedBy(tenantId);
    if (query.cameraId && !mine.has(query.cameraId)) return [];
    const last = query.last ?? 100;
    const events = this.deps.controlPlane.events({ ...query, last: Number.MAX_SAFE_INTEGER });
    return events.filter((e) => e.cameraId === null || mine.has(e.cameraId)).slice(-last);
  }

  liveTracks(tenantId: string, cameraId: string): LiveTrack[] | null {
    const run = this.running.get(cameraId);
    if (!run || run.tenantId !== tenantId) return null;
    return run.session.liveTracks().map((t) => ({
      trackId: t.trackId,
      state: t.state as LiveTrack['state'],
      box: { x: t.box[0], y: t.box[1], width: t.box[2] - t.box[0], height: t.box[3] - t.box[1] },
    }));
  }
}
