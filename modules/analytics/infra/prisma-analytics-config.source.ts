import type { AnalyticsConfigSource } from '../application/analytics-ports';
import type { CameraAnalyticsConfig } from '../domain/camera-analytics';
import type { AlertRepository } from './alert.repository';
import type { ZoneRepository } from './zone.repository';

/** A camera's zones and enabled alert rules, read through the tenant-scoped repositories. */
export class PrismaAnalyticsConfigSource implements AnalyticsConfigSource {
  constructor(
    private readonly zones: ZoneRepository,
    private readonly alerts: AlertRepository,
  ) {}

  async load(tenantId: string, cameraId: string): Promise<CameraAnalyticsConfig> {
    const [zones, rules] = await Promise.all([this.zones.listForCamera(tenantId, cameraId), this.alerts.rulesForCamera(tenantId, cameraId)]);
    return {
      // Stored polygons were validated on the way in (zone-geometry.ts).
      zones: zones.map((z) => ({ id: z.id, kind: z.kind, polygon: z.polygon as number[][] })),
      rules: rules.filter((r) => r.enabled).map((r) => ({ id: r.id, zoneId: r.zoneId, kind: r.kind, threshold: r.threshold })),
    };
  }
}
