import { randomUUID } from 'node:crypto';
import type { TenantDbFactory } from '@trinetra/db';
import type { DetectionProvenance, TrackSummary } from '../domain/session/camera-tracking.session';
import type { EndedTrack, EndedTrackReader } from '../graphql/pipeline.resolver';

/** A stored provenance; null for rows written before it was kept (or with an unknown backend). */
function toProvenance(backend: string | null, model: string | null): DetectionProvenance | null {
  if ((backend !== 'simulated' && backend !== 'onnx') || model === null) return null;
  return { backend, model };
}

/** Summaries of ended tracks, through the tenant-scoped client. */
export class TrackSummaryRepository implements EndedTrackReader {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  async save(tenantId: string, summaries: readonly TrackSummary[]): Promise<void> {
    if (summaries.length === 0) return;
    await this.tenantDb(tenantId).trackSummary.createMany({
      data: summaries.map((s) => ({
        id: randomUUID(),
        tenantId,
        cameraId: s.cameraId,
        trackId: s.trackId,
        firstSeenAt: new Date(s.firstSeenTs),
        lastSeenAt: new Date(s.lastSeenTs),
        frames: s.frames,
        pathLengthPx: s.pathLengthPx,
        meanQuality: s.meanQuality,
        issues: s.issues,
        provenanceBackend: s.provenance?.backend ?? null,
        provenanceModel: s.provenance?.model ?? null,
      })),
    });
  }

  async listEnded(tenantId: string, cameraId: string, last: number): Promise<EndedTrack[]> {
    const rows = await this.tenantDb(tenantId).trackSummary.findMany({ where: { cameraId }, orderBy: { lastSeenAt: 'desc' }, take: last });
    return rows.map((r) => ({
      trackId: r.trackId,
      cameraId: r.cameraId,
      firstSeenAt: r.firstSeenAt,
      lastSeenAt: r.lastSeenAt,
      frames: r.frames,
      pathLengthPx: r.pathLengthPx,
      meanQuality: r.meanQuality,
      issues: r.issues,
      provenance: toProvenance(r.provenanceBackend, r.provenanceModel),
    }));
  }
}
