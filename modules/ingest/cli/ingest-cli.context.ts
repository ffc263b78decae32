import { createSystemDb, createTenantDbFactory, type SystemDb } from '@trinetra/db';
import { nodeFileAccess } from '../batch/node-file-access';
import { VideoJobRepository } from '../infra/video-job.repository';
import { FileVideoProcessor } from '../jobs/file-video.processor';
import { VideoJobService } from '../jobs/video-job.service';
import type { VideoProcessor } from '../jobs/video-processor';
import { readIngestCliConfig, type IngestCliConfig } from './cli-config';

/** What the job commands work with; tests and the lead's CLI may build their own. */
export interface IngestCliContext {
  jobs: VideoJobService;
  /** The tenant to act for: `--tenant`, else the configured one, else the only tenant there is. */
  resolveTenant(flag: string | undefined): Promise<string>;
  close(): Promise<void>;
}

/** Builds the context from a config (default: the environment) with its own Prisma client. */
export function createIngestCliContext(config: IngestCliConfig = readIngestCliConfig(), processor: VideoProcessor = new FileVideoProcessor()): IngestCliContext {
  const db: SystemDb = createSystemDb({ databaseUrl: config.databaseUrl, poolSize: Math.max(2, config.concurrency + 1) });
  const jobs = new VideoJobService(new VideoJobRepository(createTenantDbFactory(db)), nodeFileAccess, processor, { outputDir: config.outputDir, concurrency: config.concurrency, orphanedAfterMs: config.orphanedAfterMs });
  return {
    jobs,
    resolveTenant: async (flag) => {
      const wanted = flag ?? config.tenantId;
      if (wanted) {
        // The system client only checks the tenant exists; every job operation is tenant-scoped.
        if (!(await db.tenant.findUnique({ where: { id: wanted } }).catch(() => null))) throw new Error(`tenant ${wanted} not found`);
        return wanted;
      }
      const tenants = await db.tenant.findMany({ select: { id: true, name: true }, take: 2 });
      if (tenants.length === 1 && tenants[0]) return tenants[0].id;
      throw new Error(tenants.length === 0 ? 'no tenant exists yet: sign up first' : 'several tenants exist: pass --tenant <id> or set TRINETRA_TENANT_ID');
    },
    close: () => db.$disconnect(),
  };
}
