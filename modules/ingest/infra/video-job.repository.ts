import type { Prisma, TenantDbFactory, VideoJob as VideoJobRow } from '@trinetra/db';
import type { Cursor, Page } from '@trinetra/shared';
import { VIDEO_JOB_STATUSES, type VideoJobStatus } from '../batch/video-job';
import type { NewVideoJob, NewVideoManifest, VideoJobClaim, VideoJobCompletion, VideoJobFilter, VideoJobRecord, VideoJobStore } from '../jobs/video-job.store';

function toRecord(row: VideoJobRow): VideoJobRecord {
  const metadata = row.metadata !== null && typeof row.metadata === 'object' && !Array.isArray(row.metadata) ? (row.metadata as Record<string, string>) : {};
  return { ...row, metadata };
}

/** {@link VideoJobStore} over Postgres, always through the tenant-scoped client. */
export class VideoJobRepository implements VideoJobStore {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  async createManifest(tenantId: string, manifest: NewVideoManifest, jobs: readonly NewVideoJob[]): Promise<void> {
    // One statement tree: the manifest and its jobs land together or not at all.
    await this.tenantDb(tenantId).videoManifest.create({
      data: {
        ...manifest,
        tenantId,
        malformed: manifest.malformed as unknown as Prisma.InputJsonValue,
        jobs: { create: jobs.map((j) => ({ ...j, tenantId, metadata: j.metadata })) },
      },
    });
  }

  async findOriginalsBySha1(tenantId: string, sha1s: readonly string[]): Promise<Map<string, VideoJobRecord>> {
    if (sha1s.length === 0) return new Map();
    const rows = await this.tenantDb(tenantId).videoJob.findMany({
      where: { sha1: { in: [...sha1s] }, duplicateOfId: null },
      orderBy: [{ createdAt: 'asc' }, { line: 'asc' }],
    });
    const out = new Map<string, VideoJobRecord>();
    for (const row of rows) if (row.sha1 && !out.has(row.sha1)) out.set(row.sha1, toRecord(row));
    return out;
  }

  async findById(tenantId: string, id: string): Promise<VideoJobRecord | null> {
    const row = await this.tenantDb(tenantId).videoJob.findUnique({ where: { id } });
    return row && toRecord(row);
  }

  async claimNext(tenantId: string, now: Date): Promise<VideoJobRecord | null> {
    const db = this.tenantDb(tenantId);
    // Another runner may claim the same candidate first; the compare-and-set tells, and we try the next.
    for (let tries = 0; tries < 5; tries++) {
      const candidate = await db.videoJob.findFirst({ where: { status: 'queued', duplicateOfId: null }, orderBy: [{ createdAt: 'asc' }, { line: 'asc' }] });
      if (!candidate) return null;
      const { count } = await db.videoJob.updateMany({
        where: { id: candidate.id, status: 'queued' },
        data: { status: 'processing', attempts: { increment: 1 }, startedAt: now, heartbeatAt: now, finishedAt: null, error: null },
      });
      if (count === 1) return this.findById(tenantId, candidate.id);
    }
    return null;
  }

  async heartbeat(tenantId: string, claims: readonly VideoJobClaim[], now: Date): Promise<void> {
    if (claims.length === 0) return;
    await this.tenantDb(tenantId).videoJob.updateMany({ where: { status: 'processing', OR: claims.map((c) => ({ id: c.id, attempts: c.attempt })) }, data: { heartbeatAt: now } });
  }

  async complete(tenantId: string, id: string, attempt: number, result: VideoJobCompletion, now: Date): Promise<boolean> {
    const { count } = await this.tenantDb(tenantId).videoJob.updateMany({ where: { id, status: 'processing', attempts: attempt }, data: { ...result, status: 'done', finishedAt: now, error: null } });
    return count === 1;
  }

  async fail(tenantId: string, id: string, attempt: number, error: string, now: Date): Promise<boolean> {
    const { count } = await this.tenantDb(tenantId).videoJob.updateMany({ where: { id, status: 'processing', attempts: attempt }, data: { status: 'failed', finishedAt: now, error: error.slice(0, 2000) } });
    return count === 1;
  }

  async markMissing(tenantId: string, id: string, now: Date): Promise<boolean> {
    const { count } = await this.tenantDb(tenantId).videoJob.updateMany({
      where: { id, status: { in: ['queued', 'processing', 'failed'] } },
      data: { status: 'missing_file', finishedAt: now, error: 'file not found' },
    });
    return count === 1;
  }

  async queuedDuplicates(tenantId: string): Promise<Array<{ job: VideoJobRecord; original: VideoJobRecord | null }>> {
    const rows = await this.tenantDb(tenantId).videoJob.findMany({ where: { status: 'queued', duplicateOfId: { not: null } }, include: { duplicateOf: true }, orderBy: [{ createdAt: 'asc' }, { line: 'asc' }] });
    return rows.map(({ duplicateOf, ...job }) => ({ job: toRecord(job), original: duplicateOf ? toRecord(duplicateOf) : null }));
  }

  async settleDuplicate(tenantId: string, id: string, outcome: { done: VideoJobCompletion } | { failed: string }, now: Date): Promise<boolean> {
    const data: Prisma.VideoJobUpdateManyMutationInput =
      'done' in outcome ? { ...outcome.done, status: 'done', startedAt: now, finishedAt: now, error: null } : { status: 'failed', startedAt: now, finishedAt: now, error: outcome.failed };
    const { count } = await this.tenantDb(tenantId).videoJob.updateMany({ where: { id, status: 'queued' }, data });
    return count === 1;
  }

  async requeue(tenantId: string, staleBefore: Date, now: Date): Promise<{ failed: number; orphaned: number }> {
    const db = this.tenantDb(tenantId);
    const failed = await db.videoJob.updateMany({ where: { status: 'failed' }, data: { status: 'queued', queuedAt: now, startedAt: null, finishedAt: null, heartbeatAt: null } });
    const orphaned = await db.videoJob.updateMany({
      where: { status: 'processing', OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: staleBefore } }] },
      data: { status: 'queued', queuedAt: now, startedAt: null, finishedAt: null, heartbeatAt: null },
    });
    return { failed: failed.count, orphaned: orphaned.count };
  }

  async countByStatus(tenantId: string, manifestId: string | null = null): Promise<Record<VideoJobStatus, number>> {
    const groups = await this.tenantDb(tenantId).videoJob.groupBy({ by: ['status'], where: manifestId ? { manifestId } : {}, _count: { _all: true } });
    const counts = Object.fromEntries(VIDEO_JOB_STATUSES.map((s) => [s, 0])) as Record<VideoJobStatus, number>;
    for (const g of groups) counts[g.status] = g._count._all;
    return counts;
  }

  async page(tenantId: string, take: number, after: Cursor | null, filter: VideoJobFilter): Promise<Page<VideoJobRecord>> {
    const where: Prisma.VideoJobWhereInput = {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.manifestId ? { manifestId: filter.manifestId } : {}),
      ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
    };
    const rows = await this.tenantDb(tenantId).videoJob.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: take + 1 });
    return { items: rows.slice(0, take).map(toRecord), hasNextPage: rows.length > take };
  }
}
