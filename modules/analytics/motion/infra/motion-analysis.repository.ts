import { randomUUID } from 'node:crypto';
import { Prisma } from '@trinetra/db';
import type { Cursor, Page } from '@trinetra/shared';
import type { TenantSql } from '../../infra/tenant-sql';
import type {
  FinishedMotionAnalysis,
  MotionAnalysisFilter,
  MotionAnalysisRow,
  MotionAnalysisStore,
  MotionResultRow,
  NewMotionAnalysis,
} from '../application/motion-ports';

/** Timestamps are stored as UTC wall time (TIMESTAMP(3), like Prisma writes them). */
const utc = (d: Date | null): Prisma.Sql => (d === null ? Prisma.sql`NULL` : Prisma.sql`(${d}::timestamptz AT TIME ZONE 'UTC')`);
const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
const json = (v: unknown): Prisma.Sql => (v === null || v === undefined ? Prisma.sql`NULL` : Prisma.sql`${JSON.stringify(v)}::jsonb`);

const COLUMNS = Prisma.sql`"id"::text AS "id", "tenantId"::text AS "tenantId", "sport", "status"::text AS "status", "reason", "reasonDetail",
  "sourceKind", "videoJobId"::text AS "videoJobId", "cameraId"::text AS "cameraId", "windowStart", "windowEnd", "filename",
  "athleteHeightCm", "athleteMassKg", "requestedTrackId", "trackId", "trackChoice", "candidateTrackIds", "fps", "frameCount",
  "progress", "metrics", "phases", "flags", "signal", "createdAt", "startedAt", "finishedAt"`;

/**
 * Motion analyses in Postgres through {@link TenantSql}: every statement on a connection pinned
 * to the tenant (RLS) and filtered by "tenantId" itself. Raw SQL rather than the Prisma model
 * API for the atomic finish (row update and its results in one statement) and so the model
 * needs no registration in the shared tenant-scoped client.
 */
export class MotionAnalysisRepository implements MotionAnalysisStore {
  constructor(private readonly sql: TenantSql) {}

  async create(tenantId: string, a: NewMotionAnalysis): Promise<MotionAnalysisRow> {
    const id = randomUUID();
    await this.sql.execute(
      tenantId,
      Prisma.sql`INSERT INTO "MotionAnalysis" ("id", "tenantId", "sport", "status", "sourceKind", "videoJobId", "cameraId", "windowStart", "windowEnd",
        "filename", "athleteHeightCm", "athleteMassKg", "requestedTrackId", "createdAt", "updatedAt")
        VALUES (${id}::uuid, ${tenantId}::uuid, ${a.sport}, 'QUEUED', ${a.sourceKind}, ${a.videoJobId}::uuid, ${a.cameraId}::uuid, ${utc(a.windowStart)},
        ${utc(a.windowEnd)}, ${a.filename}, ${a.athleteHeightCm}::float8, ${a.athleteMassKg}::float8, ${a.requestedTrackId}::int, ${NOW}, ${NOW})`,
    );
    const row = await this.get(tenantId, id);
    if (!row) throw new Error(`analysis ${id} vanished after insert`);
    return row;
  }

  async get(tenantId: string, id: string): Promise<MotionAnalysisRow | null> {
    const rows = await this.sql.query<MotionAnalysisRow>(
      tenantId,
      Prisma.sql`SELECT ${COLUMNS} FROM "MotionAnalysis" WHERE "tenantId" = ${tenantId}::uuid AND "id" = ${id}::uuid`,
    );
    return rows[0] ?? null;
  }

  /** Newest first, keyset over (createdAt, id) descending. */
  async page(tenantId: string, filter: MotionAnalysisFilter, take: number, after: Cursor | null): Promise<Page<MotionAnalysisRow>> {
    const conditions = [Prisma.sql`"tenantId" = ${tenantId}::uuid`];
    if (filter.sport) conditions.push(Prisma.sql`"sport" = ${filter.sport}`);
    if (filter.status) conditions.push(Prisma.sql`"status" = ${filter.status}::"MotionAnalysisStatus"`);
    if (after) conditions.push(Prisma.sql`("createdAt", "id") < (${utc(after.createdAt)}, ${after.id}::uuid)`);
    const rows = await this.sql.query<MotionAnalysisRow>(
      tenantId,
      Prisma.sql`SELECT ${COLUMNS} FROM "MotionAnalysis" WHERE ${Prisma.join(conditions, ' AND ')}
        ORDER BY "createdAt" DESC, "id" DESC LIMIT ${take + 1}`,
    );
    return { items: rows.slice(0, take), hasNextPage: rows.length > take };
  }

  async claim(tenantId: string, id: string): Promise<boolean> {
    const n = await this.sql.execute(
      tenantId,
      Prisma.sql`UPDATE "MotionAnalysis" SET "status" = 'RUNNING', "startedAt" = ${NOW}, "updatedAt" = ${NOW}
        WHERE "tenantId" = ${tenantId}::uuid AND "id" = ${id}::uuid AND "status" = 'QUEUED'`,
    );
    return n === 1;
  }

  async setProgress(tenantId: string, id: string, progress: number): Promise<void> {
    await this.sql.execute(
      tenantId,
      Prisma.sql`UPDATE "MotionAnalysis" SET "progress" = ${progress}::float8, "updatedAt" = ${NOW}
        WHERE "tenantId" = ${tenantId}::uuid AND "id" = ${id}::uuid AND "status" = 'RUNNING'`,
    );
  }

  async finish(tenantId: string, id: string, f: FinishedMotionAnalysis): Promise<MotionAnalysisRow | null> {
    const update = Prisma.sql`UPDATE "MotionAnalysis" SET "status" = ${f.status}::"MotionAnalysisStatus", "reason" = ${f.reason},
        "reasonDetail" = ${f.reasonDetail}, "trackId" = ${f.trackId}::int, "trackChoice" = ${f.trackChoice},
        "candidateTrackIds" = ${f.candidateTrackIds}::int[], "fps" = ${f.fps}::float8, "frameCount" = ${f.frameCount}::int, "progress" = 1,
        "metrics" = ${json(f.metrics)}, "phases" = ${json(f.phases)}, "flags" = ${json(f.flags)}, "signal" = ${json(f.signal)},
        "finishedAt" = ${NOW}, "updatedAt" = ${NOW}
        WHERE "tenantId" = ${tenantId}::uuid AND "id" = ${id}::uuid AND "status" IN ('QUEUED', 'RUNNING') RETURNING "id"`;
    let changed: number;
    if (f.events.length === 0) {
      changed = await this.sql.execute(tenantId, update);
    } else {
      // One statement: the row ends and its results appear together, or neither.
      const values = f.events.map(
        (e) =>
          Prisma.sql`(${randomUUID()}::uuid, ${tenantId}::uuid, ${id}::uuid, ${e.kind}, ${e.index}::int, ${e.startS}::float8, ${e.endS}::float8,
            ${json({ values: e.values, confidence: e.confidence, frames: e.frames })})`,
      );
      const rows = await this.sql.query<{ n: number }>(
        tenantId,
        Prisma.sql`WITH upd AS (${update}),
          ins AS (INSERT INTO "MotionAnalysisResult" ("id", "tenantId", "analysisId", "kind", "index", "startS", "endS", "values")
            SELECT v.* FROM (VALUES ${Prisma.join(values)}) AS v(id, t, a, k, i, s, e, vals) WHERE EXISTS (SELECT 1 FROM upd) RETURNING 1)
          SELECT (SELECT count(*) FROM upd)::int AS "n", (SELECT count(*) FROM ins)::int AS "inserted"`,
      );
      changed = rows[0]?.n ?? 0;
    }
    return changed === 1 ? this.get(tenantId, id) : null;
  }

  async results(tenantId: string, analysisId: string): Promise<MotionResultRow[]> {
    const rows = await this.sql.query<{ id: string; analysisId: string; kind: MotionResultRow['kind']; index: number; startS: number; endS: number; values: StoredValues }>(
      tenantId,
      Prisma.sql`SELECT "id"::text AS "id", "analysisId"::text AS "analysisId", "kind", "index", "startS", "endS", "values"
        FROM "MotionAnalysisResult" WHERE "tenantId" = ${tenantId}::uuid AND "analysisId" = ${analysisId}::uuid ORDER BY "kind", "index"`,
    );
    return rows.map((r) => ({ id: r.id, analysisId: r.analysisId, kind: r.kind, index: r.index, startS: r.startS, endS: r.endS, ...r.values }));
  }

  async openLive(tenantId: string | null): Promise<MotionAnalysisRow[]> {
    if (tenantId === null) return [];
    return this.sql.query<MotionAnalysisRow>(
      tenantId,
      Prisma.sql`SELECT ${COLUMNS} FROM "MotionAnalysis" WHERE "tenantId" = ${tenantId}::uuid AND "sourceKind" = 'CAMERA_WINDOW'
        AND "status" IN ('QUEUED', 'RUNNING')`,
    );
  }
}

interface StoredValues {
  values: Record<string, number | null>;
  confidence: number;
  frames: [number, number];
}
