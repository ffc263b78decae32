import type { WebhookEventSink } from '@trinetra/billing-safe';
import type { AlertRow, AnalyticsPublisher, ZoneStatsUpdate } from '@trinetra/analytics';
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
