import type { TenantDbFactory } from '@trinetra/db';
import { InvalidInputError, NotFoundError } from '@trinetra/shared';
import { CameraGraph, type CameraLink } from '../domain/camera-graph';
import type { IdentityAuditWriter } from './identity-audit';

/** Most links a tenant's graph may hold: a store has tens of cameras, not thousands. */
export const MAX_CAMERA_LINKS = 500;

/**
 * A tenant's camera graph (minimum transit times), edited as a whole: `replace` swaps every
 * link at once so the gate never sees half an edit. Listeners (the live policy) hear changes.
 */
export class CameraGraphService {
  private readonly cache = new Map<string, CameraGraph>();
  private readonly listeners: Array<(tenantId: string, graph: CameraGraph) => void> = [];

  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly audit: IdentityAuditWriter,
  ) {}

  onChange(listener: (tenantId: string, graph: CameraGraph) => void): void {
    this.listeners.push(listener);
  }

  async links(tenantId: string): Promise<CameraLink[]> {
    const rows = await this.tenantDb(tenantId).identityCameraLink.findMany({ orderBy: [{ fromCameraId: 'asc' }, { toCameraId: 'asc' }] });
    return rows.map((r) => ({ fromCameraId: r.fromCameraId, toCameraId: r.toCameraId, minTransitSeconds: r.minTransitSeconds }));
  }

  async graph(tenantId: string): Promise<CameraGraph> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const graph = new CameraGraph(await this.links(tenantId));
    this.cache.set(tenantId, graph);
    return graph;
  }

  /**
   * Replaces the tenant's links. `bidirectional` links also add the way back with the same
   * time. Every camera must be the tenant's (else NOT_FOUND, as for a missing one).
   */
  async replace(tenantId: string, actor: string, links: readonly (CameraLink & { bidirectional?: boolean })[]): Promise<CameraLink[]> {
    const expanded = new Map<string, CameraLink>();
    for (const [i, l] of links.entries()) {
      if (l.fromCameraId === l.toCameraId) throw new InvalidInputError(`links[${i}] joins a camera to itself`, { field: `links[${i}]` });
      if (!Number.isInteger(l.minTransitSeconds) || l.minTransitSeconds < 0 || l.minTransitSeconds > 86_400)
        throw new InvalidInputError(`links[${i}].minTransitSeconds must be an integer 0-86400`, { field: `links[${i}].minTransitSeconds` });
      for (const [from, to] of l.bidirectional ? [[l.fromCameraId, l.toCameraId], [l.toCameraId, l.fromCameraId]] : [[l.fromCameraId, l.toCameraId]]) {
        expanded.set(`${from}>${to}`, { fromCameraId: from!, toCameraId: to!, minTransitSeconds: l.minTransitSeconds });
      }
    }
    if (expanded.size > MAX_CAMERA_LINKS) throw new InvalidInputError(`at most ${MAX_CAMERA_LINKS} links`, { field: 'links' });
    const db = this.tenantDb(tenantId);
    const cameraIds = [...new Set([...expanded.values()].flatMap((l) => [l.fromCameraId, l.toCameraId]))];
    const found = new Set((await db.camera.findMany({ where: { id: { in: cameraIds } }, select: { id: true } })).map((c) => c.id));
    const missing = cameraIds.find((id) => !found.has(id));
    if (missing) throw new NotFoundError('Camera', missing);
    // Delete-then-insert without a transaction: a crash between them leaves an empty graph,
    // which the gate treats as "no judgement" (never a false rejection).
    await db.identityCameraLink.deleteMany({});
    await db.identityCameraLink.createMany({ data: [...expanded.values()].map((l) => ({ tenantId, ...l })) });
    await this.audit.write(tenantId, { action: 'GRAPH', personId: null, actor, detail: `${expanded.size} camera link(s)` });
    const graph = new CameraGraph([...expanded.values()]);
    this.cache.set(tenantId, graph);
    for (const listener of this.listeners) listener(tenantId, graph);
    return this.links(tenantId);
  }
}
