import type { Clock } from '@trinetra/shared';
import type { AnalyticsFrame } from '../domain/analytics-frame';
import { CameraAnalytics, type CameraAnalyticsOptions, type FrameAnalytics } from '../domain/camera-analytics';
import { IdentityAlertEvaluator } from '../domain/identity-alerts';
import type { RaisedAlert } from '../domain/alert-rules';
import type { PresenceEvent } from '../domain/zone-presence';
import { newAlertId, type AnalyticsBatch, type NewAlertRow } from '../infra/analytics-write.repository';
import { noAnalyticsMetrics, type AnalyticsMetrics } from './analytics-metrics';
import type { AnalyticsConfigSource, AnalyticsLogger, AnalyticsPublisher, AnalyticsStore, ZoneStatsUpdate } from './analytics-ports';
import type { IdentityEventSink, PersonRecognized } from './identity-events';

/** Tracks per camera whose person key is remembered (a camera rarely sees more; oldest go first). */
const MAX_PERSON_KEYS = 2_000;

/** Options of {@link AnalyticsEngine}; every field has a default. */
export interface AnalyticsEngineOptions {
  /** How often batches are written and live figures published, ms. Default 1000: fewer, larger writes vs. fresher dashboards. */
  flushEveryMs?: number;
  /** A camera that sent no frame for this long (wall time) is closed: its open visits end, its state is freed. Default 10000. */
  idleCameraMs?: number;
  /** Hysteresis and line-counting knobs (modules/analytics/domain). */
  analytics?: CameraAnalyticsOptions;
}

interface ZoneLive {
  kind: 'AREA' | 'LINE';
  entries: number;
  exits: number;
  in: number;
  out: number;
  changed: boolean;
}

interface CameraState {
  tenantId: string;
  cameraId: string;
  analytics: CameraAnalytics | null;
  loading: boolean;
  /** Frames that arrived while the camera's zones were loading (not analysed). */
  skipped: number;
  lastFrameAt: number;
  lastFrameTs: number;
  batch: AnalyticsBatch;
  live: Map<string, ZoneLive>;
  /** VIP_ARRIVAL / REPEAT_VISITOR rules of the camera (null until loaded). */
  identityRules: IdentityAlertEvaluator | null;
  /** trackId -> person key, from identity events: stamped on zone events for cross-camera journeys. */
  persons: Map<number, string>;
}

function emptyBatch(cameraId: string): AnalyticsBatch {
  return { cameraId, zoneEvents: [], crossings: [], transitions: [], alerts: [], occupancy: [], heatmaps: [] };
}

/**
 * The analytics side of the frame path: the pipeline hands every tracked frame to
 * {@link onTracked} (synchronous, cheap: the domain's per-frame work and appending to a
 * batch); writing to Postgres and publishing live figures happen on a timer, off the frame
 * path. State is per camera and in memory; a camera's zones and rules load on its first frame
 * and again after {@link invalidate} (zones or rules edited in this process).
 */
export class AnalyticsEngine implements IdentityEventSink {
  private readonly cameras = new Map<string, CameraState>();
  private readonly flushEveryMs: number;
  private readonly idleCameraMs: number;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Batches that could not be written (counted, logged, dropped: analytics never blocks frames). */
  failedWrites = 0;
  /** Identity events for a camera not analysed (yet) in this process: nothing to attach them to. */
  droppedIdentityEvents = 0;
  private readonly metrics: AnalyticsMetrics;

  constructor(
    private readonly deps: {
      config: AnalyticsConfigSource;
      store: AnalyticsStore;
      publisher: AnalyticsPublisher;
      logger: AnalyticsLogger;
      clock: Clock;
      metrics?: AnalyticsMetrics;
    },
    private readonly options: AnalyticsEngineOptions = {},
  ) {
    this.metrics = deps.metrics ?? noAnalyticsMetrics;
    this.flushEveryMs = options.flushEveryMs ?? 1000;
    this.idleCameraMs = options.idleCameraMs ?? 10_000;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.flushEveryMs);
    this.timer.unref();
  }

  /** Stops the timer, closes every camera's open visits and writes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const state of this.cameras.values()) this.endCamera(state);
    await this.flush();
    this.cameras.clear();
  }

  /** The frame pipeline's hook: one tracked frame of a camera. */
  onTracked(tenantId: string, cameraId: string, frame: AnalyticsFrame): void {
    let state = this.cameras.get(cameraId);
    if (!state || state.tenantId !== tenantId) {
      state = {
        tenantId,
        cameraId,
        analytics: null,
        loading: false,
        skipped: 0,
        lastFrameAt: 0,
        lastFrameTs: 0,
        batch: emptyBatch(cameraId),
        live: new Map(),
        identityRules: null,
        persons: new Map(),
      };
      this.cameras.set(cameraId, state);
    }
    state.lastFrameAt = this.deps.clock.now();
    if (!state.analytics) {
      state.skipped += 1;
      if (!state.loading) this.load(state);
      return;
    }
    state.lastFrameTs = frame.captureTs;
    this.record(state, state.analytics.update(frame));
  }

  /**
   * The identity module named a track (or gave it an anonymous visit id): its zone events carry
   * the person key from now on, and VIP / repeat-visitor rules of the camera are evaluated.
   * Synchronous and cheap, like {@link onTracked}; the alert is written with the next batch.
   */
  personRecognized(tenantId: string, event: PersonRecognized): void {
    const state = this.cameras.get(event.cameraId);
    if (!state || state.tenantId !== tenantId || !state.analytics || !state.identityRules) {
      this.droppedIdentityEvents += 1;
      return;
    }
    state.persons.delete(event.trackId);
    state.persons.set(event.trackId, event.personKey);
    if (state.persons.size > MAX_PERSON_KEYS) state.persons.delete(state.persons.keys().next().value!);
    const raised = state.identityRules.evaluate({
      trackId: event.trackId,
      personKey: event.personKey,
      vip: event.vip,
      visitNumber: event.visitNumber,
      at: event.at.getTime(),
    });
    for (const a of raised) {
      if (a.kind === 'VIP_ARRIVAL') this.metrics.vipAlert();
      const who = event.displayName ?? (event.personId ? 'a known person' : 'a visitor');
      const message = a.kind === 'VIP_ARRIVAL' ? `VIP ${who} arrived (visit ${a.value})` : `${who} is back: visit ${a.value} (rule from visit ${a.threshold})`;
      this.pushAlert(state, a, message);
    }
  }

  /** The camera's zones or rules changed: its visits close now and its state reloads on the next frame. */
  invalidate(tenantId: string, cameraId: string): void {
    const state = this.cameras.get(cameraId);
    if (!state || state.tenantId !== tenantId) return;
    this.reset(state);
  }

  /**
   * The camera stopped and its tracks ended (the tracker numbers tracks from 1 on its next run):
   * its visits close now, and the person keys identity gave its track ids go, so a new person
   * on a reused id is never counted as the previous one.
   */
  tracksEnded(tenantId: string, cameraId: string): void {
    const state = this.cameras.get(cameraId);
    if (!state || state.tenantId !== tenantId) return;
    this.reset(state);
    state.persons.clear();
  }

  private reset(state: CameraState): void {
    this.endCamera(state);
    state.analytics = null;
    state.identityRules = null;
    state.live.clear();
  }

  /** Live occupancy of an AREA zone on a camera analysed in this process (null: not here). */
  occupancy(tenantId: string, cameraId: string, zoneId: string): number | null {
    const state = this.cameras.get(cameraId);
    if (!state || state.tenantId !== tenantId || !state.analytics) return null;
    return state.analytics.occupancy(zoneId);
  }

  /** Writes every camera's batch and publishes live figures; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private load(state: CameraState): void {
    state.loading = true;
    this.deps.config
      .load(state.tenantId, state.cameraId)
      .then((config) => {
        if (this.cameras.get(state.cameraId) !== state) return;
        state.analytics = new CameraAnalytics(config, this.options.analytics);
        state.identityRules = new IdentityAlertEvaluator(config.rules.filter((r) => r.kind === 'VIP_ARRIVAL' || r.kind === 'REPEAT_VISITOR'));
        for (const z of config.zones) state.live.set(z.id, { kind: z.kind, entries: 0, exits: 0, in: 0, out: 0, changed: true });
      })
      .catch((err: unknown) => this.deps.logger.warn({ err, cameraId: state.cameraId }, 'analytics: could not load zones; retrying on the next frame'))
      .finally(() => {
        state.loading = false;
      });
  }

  private endCamera(state: CameraState): void {
    if (!state.analytics) return;
    this.recordPresence(state, state.analytics.end());
    this.takeBuckets(state);
  }

  private record(state: CameraState, out: FrameAnalytics): void {
    this.recordPresence(state, out.presence);
    for (const c of out.crossings) {
      state.batch.crossings.push({ zoneId: c.lineId, trackId: c.trackId, direction: c.direction, at: new Date(c.at) });
      const live = state.live.get(c.lineId);
      if (live) {
        if (c.direction === 'IN') live.in += 1;
        else live.out += 1;
        live.changed = true;
      }
    }
    for (const a of out.alerts) {
      const message =
        a.kind === 'LOITERING'
          ? `track ${a.trackId} has been in the zone for ${a.value.toFixed(1)} s (limit ${a.threshold} s)`
          : `${a.value} people in the zone (limit ${a.threshold})`;
      this.pushAlert(state, a, message);
    }
  }

  private pushAlert(state: CameraState, a: RaisedAlert, message: string): void {
    state.batch.alerts.push({
      id: newAlertId(),
      ruleId: a.ruleId,
      cameraId: state.cameraId,
      zoneId: a.zoneId,
      kind: a.kind,
      trackId: a.trackId,
      value: a.value,
      threshold: a.threshold,
      message,
      createdAt: new Date(a.at),
    });
  }

  private recordPresence(state: CameraState, events: readonly PresenceEvent[]): void {
    for (const e of events) {
      if (e.kind === 'transition') {
        state.batch.transitions.push({ fromZoneId: e.fromZoneId, toZoneId: e.toZoneId, trackId: e.trackId, at: new Date(e.at) });
        continue;
      }
      const live = state.live.get(e.zoneId);
      if (e.kind === 'enter') {
        state.batch.zoneEvents.push({
          zoneId: e.zoneId,
          trackId: e.trackId,
          kind: 'ENTER',
          at: new Date(e.at),
          enteredAt: null,
          dwellMs: null,
          personKey: state.persons.get(e.trackId) ?? null,
        });
        if (live) live.entries += 1;
      } else {
        state.batch.zoneEvents.push({
          zoneId: e.zoneId,
          trackId: e.trackId,
          kind: 'EXIT',
          at: new Date(e.exitedAt),
          enteredAt: new Date(e.enteredAt),
          dwellMs: Math.round(e.dwellMs),
          personKey: state.persons.get(e.trackId) ?? null,
        });
        this.metrics.dwellObserved(e.dwellMs / 1000);
        if (live) live.exits += 1;
      }
      if (live) live.changed = true;
    }
  }

  private takeBuckets(state: CameraState): void {
    if (!state.analytics) return;
    const completed = state.analytics.takeCompletedJourneys();
    if (completed > 0) this.metrics.journeysCompleted(completed);
    const buckets = state.analytics.takeBuckets();
    state.batch.occupancy.push(...buckets.occupancy);
    state.batch.heatmaps.push(...buckets.heatmaps);
  }

  private async flushOnce(): Promise<void> {
    const now = this.deps.clock.now();
    const writes: Promise<void>[] = [];
    for (const state of [...this.cameras.values()]) {
      if (now - state.lastFrameAt > this.idleCameraMs) {
        this.endCamera(state);
        this.cameras.delete(state.cameraId);
      } else {
        this.takeBuckets(state);
      }
      const updates = this.takeLive(state);
      const batch = state.batch;
      state.batch = emptyBatch(state.cameraId);
      const size =
        batch.zoneEvents.length + batch.crossings.length + batch.transitions.length + batch.alerts.length + batch.occupancy.length + batch.heatmaps.length;
      const written = size === 0 ? Promise.resolve() : this.deps.store.write(state.tenantId, batch);
      // Published once stored, so a dashboard that re-queries on an update sees it, and an
      // alert can be acknowledged as soon as it is announced; live figures go out either way.
      writes.push(
        written.then(
          () => this.publish(state.tenantId, updates, batch.alerts),
          (err: unknown) => {
            this.failedWrites += 1;
            this.deps.logger.error({ err, cameraId: state.cameraId, rows: size }, 'analytics: batch write failed; batch dropped');
            this.publish(state.tenantId, updates, []);
          },
        ),
      );
    }
    await Promise.all(writes);
  }

  private takeLive(state: CameraState): ZoneStatsUpdate[] {
    const updates: ZoneStatsUpdate[] = [];
    for (const [zoneId, live] of state.live) {
      if (!live.changed) continue;
      updates.push({
        cameraId: state.cameraId,
        zoneId,
        kind: live.kind,
        occupancy: state.analytics?.occupancy(zoneId) ?? 0,
        entries: live.entries,
        exits: live.exits,
        in: live.in,
        out: live.out,
        at: new Date(state.lastFrameTs || this.deps.clock.now()),
      });
      Object.assign(live, { entries: 0, exits: 0, in: 0, out: 0, changed: false });
    }
    return updates;
  }

  private publish(tenantId: string, updates: readonly ZoneStatsUpdate[], alerts: readonly NewAlertRow[]): void {
    for (const update of updates) this.deps.publisher.zoneStatsUpdated(tenantId, update);
    for (const a of alerts) this.deps.publisher.alertRaised(tenantId, { ...a, tenantId, acknowledgedAt: null, acknowledgedBy: null });
  }
}
