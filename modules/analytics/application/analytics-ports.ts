import type { CameraAnalyticsConfig } from '../domain/camera-analytics';
import type { AlertRow } from '../infra/alert.repository';
import type { AnalyticsBatch } from '../infra/analytics-write.repository';

/** Zones and enabled alert rules of a camera, as the engine needs them. */
export interface AnalyticsConfigSource {
  load(tenantId: string, cameraId: string): Promise<CameraAnalyticsConfig>;
}

/** Where batches go (Postgres in the server). */
export interface AnalyticsStore {
  write(tenantId: string, batch: AnalyticsBatch): Promise<void>;
}

/** A zone's live figures, published once per flush when something changed. */
export interface ZoneStatsUpdate {
  cameraId: string;
  zoneId: string;
  kind: 'AREA' | 'LINE';
  /** AREA: people inside now. */
  occupancy: number;
  /** Since the previous update: AREA entries/exits, LINE crossings IN/OUT. */
  entries: number;
  exits: number;
  in: number;
  out: number;
  /** Frame time of the latest frame counted. */
  at: Date;
}

/** Live output of analytics (Redis pub/sub in the server, routed by tenant). */
export interface AnalyticsPublisher {
  zoneStatsUpdated(tenantId: string, update: ZoneStatsUpdate): void;
  alertRaised(tenantId: string, alert: AlertRow): void;
}

/** Log calls analytics makes (pino's Logger fits). */
export interface AnalyticsLogger {
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}
