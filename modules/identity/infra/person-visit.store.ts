import type { SystemDb } from '@trinetra/db';
import type { PersonVisits } from '../application/live-track-identifier';
import { tenantTransaction } from './tenant-transaction';

/** A sighting more than this after the person's last one starts a new visit (analytics journeys use the same gap). */
export const VISIT_GAP_MS = 30 * 60_000;

/**
 * Visit numbers of named people, in Postgres ("Person"."visitCount", "lastSeenAt"; RLS).
 * One UPDATE decides and records atomically, so two cameras naming the same person at once
 * cannot both start a visit. A sighting older than the last one (a late camera) belongs to the
 * current visit and never moves `lastSeenAt` back.
 */
export class PrismaPersonVisits implements PersonVisits {
  constructor(
    private readonly db: SystemDb,
    private readonly gapMs = VISIT_GAP_MS,
  ) {}

  async recordSighting(tenantId: string, personId: string, at: Date): Promise<number | null> {
    const gap = `${Math.round(this.gapMs)} milliseconds`;
    const rows = await tenantTransaction(
      this.db,
      tenantId,
      (tx) => tx.$queryRaw<{ visitCount: number }[]>`
        UPDATE "Person" SET
          "visitCount" = CASE WHEN "lastSeenAt" IS NULL OR ${at}::timestamp - "lastSeenAt" > ${gap}::interval THEN "visitCount" + 1 ELSE GREATEST("visitCount", 1) END,
          "lastSeenAt" = GREATEST(COALESCE("lastSeenAt", ${at}::timestamp), ${at}::timestamp)
        WHERE "id" = ${personId}::uuid AND "tenantId" = ${tenantId}::uuid
        RETURNING "visitCount"`,
    );
    return rows[0]?.visitCount ?? null;
  }
}
