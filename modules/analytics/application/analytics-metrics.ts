/**
 * What the engine reports to metrics (prom-analytics.metrics.ts in the server's registry). No
 * tenant, camera or zone ids: label values come from closed sets only (docs/SECURITY.md).
 */
export interface AnalyticsMetrics {
  /** Single-camera journeys (tracks that visited a zone) that ended. */
  journeysCompleted(count: number): void;
  /** A finished visit of an AREA zone, with its dwell. */
  dwellObserved(seconds: number): void;
  /** A VIP_ARRIVAL alert was raised. */
  vipAlert(): void;
}

export const noAnalyticsMetrics: AnalyticsMetrics = { journeysCompleted: () => undefined, dwellObserved: () => undefined, vipAlert: () => undefined };
