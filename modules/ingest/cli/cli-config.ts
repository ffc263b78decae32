import { resolve } from 'node:path';
import { z } from 'zod';

/** What the ingest CLI commands need from the environment. */
export interface IngestCliConfig {
  /** Postgres the jobs live in (`DATABASE_URL`, required). */
  databaseUrl: string;
  /** Tenant used when `--tenant` is not given (`TRINETRA_TENANT_ID`). */
  tenantId: string | null;
  /** Root of JSONL.gz outputs (`TRINETRA_OUTPUT_DIR`, default `.trinetra/outputs`). */
  outputDir: string;
  /** Videos processed at once (`TRINETRA_JOB_CONCURRENCY`, default 2). */
  concurrency: number;
  /** A `processing` job with no heartbeat for this long is requeued by `resume` (`TRINETRA_JOB_ORPHANED_AFTER_MS`, default 30000). */
  orphanedAfterMs: number;
}

const EnvSchema = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgresql:// URL'),
  TRINETRA_TENANT_ID: z.uuid('TRINETRA_TENANT_ID must be a tenant id (UUID)').optional(),
  TRINETRA_OUTPUT_DIR: z.string().min(1).default('.trinetra/outputs'),
  TRINETRA_JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  TRINETRA_JOB_ORPHANED_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
});

/** Thrown when the environment is not usable; the message names every problem. */
export class IngestCliConfigError extends Error {
  override readonly name = 'IngestCliConfigError';
}

/** The one place the ingest CLI reads `process.env`: validated once, then passed down typed. */
export function readIngestCliConfig(env: NodeJS.ProcessEnv = process.env): IngestCliConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new IngestCliConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const v = parsed.data;
  return { databaseUrl: v.DATABASE_URL, tenantId: v.TRINETRA_TENANT_ID ?? null, outputDir: resolve(v.TRINETRA_OUTPUT_DIR), concurrency: v.TRINETRA_JOB_CONCURRENCY, orphanedAfterMs: v.TRINETRA_JOB_ORPHANED_AFTER_MS };
}
