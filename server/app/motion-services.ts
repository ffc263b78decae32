import { createHash } from 'node:crypto';
import type { PubSub } from 'type-graphql';
import {
  BullMqMotionQueue,
  LiveMotionHub,
  MotionAnalysisRepository,
  MotionAnalysisResolver,
  MotionAnalysisService,
  MotionAnalysisWorker,
  PubSubMotionPublisher,
  type AnalyticsFrame,
  type MotionAnalysisQuota,
  type TenantSql,
} from '@trinetra/analytics';
import type { BillingSafeModule } from '@trinetra/billing-safe';
import type { MediaAccess, VideoJobRunner, VideoJobService } from '@trinetra/ingest';
import type { CameraDirectory } from '@trinetra/shared';
import type { AppConfig } from '../config/config';
import type { ResolverBinding } from '../graphql/schema';
import { BatchJobMotionVideoSource } from './motion-video-source';
import { MotionFanOut, type WebhookFanOutError } from './webhook-event-adapters';

/**
 * BullMQ queue of batch motion analyses (prefix BULLMQ_PREFIX, like the other queues), one per
 * database: a job names a row of one database, so servers of another deployment (or another
 * test's database) sharing the Redis must never take it; they would find no row and drop it.
 */
export function motionQueueName(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const database = createHash('sha256').update(`${url.hostname}:${url.port}${url.pathname}`).digest('hex').slice(0, 12);
  return `motion-analyses-${database}`;
}

/**
 * The plan's `analyses_per_month` (docs/QUOTAS.md): billing-safe's QuotaGate before an analysis
 * is created, one `analyses_created` unit in the usage ledger (keyed by the analysis id) after.
 */
export function planAnalysisQuota(billing: Pick<BillingSafeModule, 'quotas' | 'usage'>): MotionAnalysisQuota {
  return {
    assertCanCreate: (tenantId) => billing.quotas.assertWithinOrThrow(tenantId, 'analyses_per_month'),
    recordCreated: (tenantId, analysisId, at) => billing.usage.record(tenantId, [{ meter: 'analyses_created', idempotencyKey: analysisId, quantity: 1, occurredAt: at }]),
  };
}

/** Coaching motion analyses (modules/analytics/motion): what the server builds and runs. */
export interface MotionServices {
  resolver: ResolverBinding;
  /** Feed of the live pipeline's tracked frames (camera-window analyses). */
  onTracked(tenantId: string, cameraId: string, frame: AnalyticsFrame): void;
  /** Starts the queue's worker (batch analyses) in this process. */
  start(): void;
  /** Ends live analyses with what they have and stops the worker; before closing Redis and the database. */
  close(): Promise<void>;
}

export function createMotionServices(deps: {
  config: AppConfig;
  tenantSql: TenantSql;
  pubSub: PubSub;
  billing: Pick<BillingSafeModule, 'quotas' | 'usage' | 'webhookDeliveries'>;
  media: MediaAccess;
  videoJobService: VideoJobService;
  videoJobs: VideoJobRunner;
  cameras: CameraDirectory;
  onError: WebhookFanOutError;
  onBackgroundError?: (error: unknown) => void;
}): MotionServices {
  const store = new MotionAnalysisRepository(deps.tenantSql);
  const publisher = new MotionFanOut(new PubSubMotionPublisher(deps.pubSub), deps.billing.webhookDeliveries, deps.onError);
  const report = (error: unknown): void => deps.onBackgroundError?.(error);
  const live = new LiveMotionHub(store, publisher, { onError: report });
  const videos = new BatchJobMotionVideoSource(deps.media, deps.videoJobService, deps.videoJobs);
  const queue = new BullMqMotionQueue({ redisUrl: deps.config.REDIS_URL, queueName: motionQueueName(deps.config.DATABASE_URL), bullPrefix: deps.config.BULLMQ_PREFIX, onError: report });
  const worker = new MotionAnalysisWorker(store, videos, publisher, report);
  const service = new MotionAnalysisService(store, {
    queue,
    videos,
    live,
    quota: planAnalysisQuota(deps.billing),
    cameraExists: async (tenantId, cameraId) => (await deps.cameras.findMany(tenantId, [cameraId])).length === 1,
  });
  return {
    resolver: [MotionAnalysisResolver, new MotionAnalysisResolver(service)],
    onTracked: (tenantId, cameraId, frame) => live.onTracked(tenantId, cameraId, frame),
    start: () => queue.start((tenantId, analysisId) => worker.run(tenantId, analysisId)),
    close: async () => {
      await live.close();
      await queue.close();
    },
  };
}
