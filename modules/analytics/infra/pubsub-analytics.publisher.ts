import type { PubSub } from 'type-graphql';
import type { AnalyticsPublisher, ZoneStatsUpdate } from '../application/analytics-ports';
import type { AlertRow } from './alert.repository';

/** Pub/sub topics of analytics; routed by tenant id, so nothing crosses tenants. */
export const ZONE_STATS_TOPIC = 'ZONE_STATS_UPDATED';
export const ALERT_RAISED_TOPIC = 'ALERT_RAISED';

export class PubSubAnalyticsPublisher implements AnalyticsPublisher {
  constructor(private readonly pubSub: PubSub) {}

  zoneStatsUpdated(tenantId: string, update: ZoneStatsUpdate): void {
    this.pubSub.publish(ZONE_STATS_TOPIC, tenantId, update);
  }

  alertRaised(tenantId: string, alert: AlertRow): void {
    this.pubSub.publish(ALERT_RAISED_TOPIC, tenantId, alert);
  }
}
