import { randomUUID } from 'node:crypto';
import type { WebhookEventSink } from '@trinetra/billing-safe';
import type {
  AlertRow,
  AnalysisProgressEvent,
  AnalyticsPublisher,
  MetricUpdatedEvent,
  MotionAnalysisPublisher,
  MotionAnalysisRow,
  ZoneStatsUpdate,
} from '@trinetra/analytics';
import type { IdentityMatchedEvent } from '@trinetra/identity';
import type { CameraStatusChange, CameraStatusPublisher, VideoJobProgressEvent, VideoJobProgressPublisher } from '@trinetra/ingest';

/** Where a webhook fan-out that failed is reported (logged by the server). */
export type WebhookFanOutError = (error: unknown, context: { tenantId: string; eventType: string }) => void;

/**
 * Camera status changes as `camera.status_changed` webhooks, beside the pub/sub publisher.
 * A fan-out that fails (Postgres or Redis briefly gone) is reported, not thrown: the status is
 * recorded and published to subscribers either way, and webhooks are the side channel.
 */
export class CameraStatusFanOut implements CameraStatusPublisher {
  constructor(
    private readonly inner: CameraStatusPublisher,
    private readonly webhooks: WebhookEventSink,
    private readonly onError: WebhookFanOutError,
  ) {}

  async publish(change: CameraStatusChange): Promise<void> {
    await this.inner.publish(change);
    const { tenantId, cameraId, status, reason, at } = change;
    await this.webhooks
      .publish(tenantId, { type: 'camera.status_changed', cameraId, occurredAt: at, data: { cameraId, status, reason, at: at.toISOString() } })
      .catch((error: unknown) => this.onError(error, { tenantId, eventType: 'camera.status_changed' }));
  }
}

/** Finished batch video jobs as `video_job.finished` webhooks, beside the pub/sub progress publisher. */
export class VideoJobFanOut implements VideoJobProgressPublisher {
  constructor(
    private readonly inner: VideoJobProgressPublisher,
    private readonly webhooks: WebhookEventSink,
    private readonly onError: WebhookFanOutError,
  ) {}

  async publish(event: VideoJobProgressEvent): Promise<void> {
    await this.inner.publish(event);
    if (event.kind !== 'finished') return;
    const { tenantId, manifestId, jobId, line, filename, status, error } = event;
    const occurredAt = new Date(event.at);
    await this.webhooks
      .publish(tenantId, {
        type: 'video_job.finished',
        cameraId: null,
        occurredAt,
        data: { jobId, manifestId, line, filename, status, error, at: occurredAt.toISOString() },
      })
      .catch((err: unknown) => this.onError(err, { tenantId, eventType: 'video_job.finished' }));
  }
}

/** Raised analytics alerts (loitering, occupancy) as `alert.raised` webhooks, beside the pub/sub publisher. */
export class AlertFanOut implements AnalyticsPublisher {
  constructor(
    private readonly inner: AnalyticsPublisher,
    private readonly webhooks: WebhookEventSink,
    private readonly onError: WebhookFanOutError,
  ) {}

  zoneStatsUpdated(tenantId: string, update: ZoneStatsUpdate): void {
    this.inner.zoneStatsUpdated(tenantId, update);
  }

  alertRaised(tenantId: string, alert: AlertRow): void {
    this.inner.alertRaised(tenantId, alert);
    const { id, cameraId, zoneId, ruleId, kind, trackId, value, threshold, message, createdAt } = alert;
    void this.webhooks
      .publish(tenantId, {
        type: 'alert.raised',
        cameraId,
        occurredAt: createdAt,
        data: { alertId: id, ruleId, cameraId, zoneId, kind, trackId, value, threshold, message, at: createdAt.toISOString() },
      })
      .catch((error: unknown) => this.onError(error, { tenantId, eventType: 'alert.raised' }));
  }
}

/**
 * Motion analyses' news as webhooks beside the pub/sub publisher: `analysis.completed` when an
 * analysis ends (DONE or FAILED) and `metric.updated` for each jump/rep/step of a live analysis.
 * The payload carries the coaching platforms' fields (`event_id`, ISO `timestamp`,
 * `event_type`, `analysis_id`, `sport`) beside the numbers.
 */
export class MotionFanOut implements MotionAnalysisPublisher {
  constructor(
    private readonly inner: MotionAnalysisPublisher,
    private readonly webhooks: WebhookEventSink,
    private readonly onError: WebhookFanOutError,
  ) {}

  async progress(tenantId: string, event: AnalysisProgressEvent): Promise<void> {
    await this.inner.progress(tenantId, event);
  }

  async completed(tenantId: string, a: MotionAnalysisRow): Promise<void> {
    await this.inner.completed(tenantId, a);
    const occurredAt = a.finishedAt ? new Date(a.finishedAt) : new Date();
    await this.webhooks
      .publish(tenantId, {
        type: 'analysis.completed',
        cameraId: a.cameraId,
        occurredAt,
        data: {
          event_id: randomUUID(),
          event_type: 'analysis.completed',
          timestamp: occurredAt.toISOString(),
          analysis_id: a.id,
          sport: a.sport,
          status: a.status,
          reason: a.reason,
          reason_detail: a.reasonDetail,
          source: a.sourceKind,
          video_job_id: a.videoJobId,
          camera_id: a.cameraId,
          track_id: a.trackId,
          metrics: a.metrics,
        },
      })
      .catch((error: unknown) => this.onError(error, { tenantId, eventType: 'analysis.completed' }));
  }

  async metricUpdated(tenantId: string, e: MetricUpdatedEvent): Promise<void> {
    await this.inner.metricUpdated(tenantId, e);
    const occurredAt = new Date(e.at);
    await this.webhooks
      .publish(tenantId, {
        type: 'metric.updated',
        cameraId: e.cameraId,
        occurredAt,
        data: {
          event_id: randomUUID(),
          event_type: 'metric.updated',
          timestamp: occurredAt.toISOString(),
          analysis_id: e.analysisId,
          sport: e.sport,
          camera_id: e.cameraId,
          track_id: e.trackId,
          kind: e.event.kind,
          index: e.event.index,
          values: e.event.values,
          confidence: e.event.confidence,
        },
      })
      .catch((error: unknown) => this.onError(error, { tenantId, eventType: 'metric.updated' }));
  }
}

/**
 * A track named by live identity as an `identity.matched` webhook (one per named track, as the
 * subscription). The payload carries ids and the similarity, never the person's name or a
 * vector: an integrator that needs the name reads `person(id)` with `identity:read`, so a
 * webhook endpoint never becomes a second copy of the gallery (docs/IDENTITY.md).
 */
export class IdentityMatchedWebhooks {
  constructor(
    private readonly webhooks: WebhookEventSink,
    private readonly onError: WebhookFanOutError,
  ) {}

  identityMatched(tenantId: string, e: IdentityMatchedEvent): void {
    void this.webhooks
      .publish(tenantId, {
        type: 'identity.matched',
        cameraId: e.cameraId,
        occurredAt: e.at,
        data: {
          event_id: randomUUID(),
          event_type: 'identity.matched',
          timestamp: e.at.toISOString(),
          camera_id: e.cameraId,
          track_id: e.trackId,
          person_id: e.personId,
          similarity: e.similarity,
        },
      })
      .catch((error: unknown) => this.onError(error, { tenantId, eventType: 'identity.matched' }));
  }
}
