import { z } from 'zod';
import { InvalidInputError, NotFoundError, parseInput, type CameraDirectory } from '@trinetra/shared';
import { zoneGeometryProblem } from '../domain/zone-geometry';
import type { ZoneRepository, ZoneRow } from '../infra/zone.repository';

export const ZoneInputSchema = z.object({
  cameraId: z.string().uuid('cameraId must be a camera id'),
  name: z.string().trim().min(1, 'name is required').max(100),
  kind: z.enum(['AREA', 'LINE']).default('AREA'),
  polygon: z.array(z.array(z.number())),
});

export type ZoneInput = z.input<typeof ZoneInputSchema>;

/** Zones drawn on a camera's image; analytics (dwell, crossings) read them. */
export class ZoneService {
  constructor(
    private readonly zones: ZoneRepository,
    private readonly cameras: CameraDirectory,
    /** Told after a camera's zones changed (the analytics engine reloads them). */
    private readonly onZonesChanged: (tenantId: string, cameraId: string) => void = () => undefined,
  ) {}

  private async cameraExists(tenantId: string, cameraId: string): Promise<boolean> {
    return (await this.cameras.find(tenantId, cameraId)) !== null;
  }

  async listForCamera(tenantId: string, cameraId: string): Promise<ZoneRow[]> {
    if (!(await this.cameraExists(tenantId, cameraId))) throw new NotFoundError('Camera', cameraId);
    return this.zones.listForCamera(tenantId, cameraId);
  }

  async upsert(tenantId: string, input: ZoneInput): Promise<ZoneRow> {
    const zone = parseInput(ZoneInputSchema, input);
    const problem = zoneGeometryProblem(zone.kind, zone.polygon);
    if (problem) throw new InvalidInputError(`polygon: ${problem}`, { field: 'polygon' });
    if (!(await this.cameraExists(tenantId, zone.cameraId))) throw new NotFoundError('Camera', zone.cameraId);
    const saved = await this.zones.upsert(tenantId, zone);
    this.onZonesChanged(tenantId, saved.cameraId);
    return saved;
  }

  async delete(tenantId: string, id: string): Promise<ZoneRow> {
    const zone = await this.zones.delete(tenantId, id);
    if (!zone) throw new NotFoundError('Zone', id);
    this.onZonesChanged(tenantId, zone.cameraId);
    return zone;
  }
}
