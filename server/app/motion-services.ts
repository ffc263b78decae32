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
import type { WebhookEventSink } from '@trinetra/billing-safe';
import type { MediaAccess, VideoJobRunner, VideoJobService } from '@trinetra/ingest';
import type { CameraDirectory } from '@trinetra/shared';
import type { AppConfig } from '../config/config';
import type { ResolverBinding } from '../graphql/schema';
import { BatchJobMotionVideoSource } from './motion-video-source';
import { MotionFanOut, type WebhookFanOutError } from './webhook-event-adapters';

/** BullMQ queue of batch motion analyses (prefix BULLMQ_PREFIX, like the other queues). */
export const MOTION_QUEUE_NAME = 'motion-analyses';

/**
 * SEAM (issue 15 / issue 16): the plan's "analyses per month" quota. billing-safe's QuotaGate
 * gains `analyses_per_month` (metered as `analyses_created`) in another change; until it is
 * exported this lets every analysis through. Wire `billing.quotas.assertWithinOrThrow(tenantId,
 * 'analyses_per_month')` and record one `analyses_created` unit per created analysis here.
 */
export const unmeteredAnalysisQuota: MotionAnalysisQuota = { assertCanCreate: () => Promise.resolve() };

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
  webhooks: WebhookEventSink;
  media: MediaAccess;
  videoJobService: VideoJobService;
  videoJobs: VideoJobRunner;
  cameras: CameraDirectory;
  quota?: MotionAnalysisQuota;
  onError: WebhookFanOutError;
  onBackgroundError?: (error: unknown) => void;
}): MotionServices {
  const store = new MotionAnalysisRepository(deps.tenantSql);
  const publisher = new MotionFanOut(new PubSubMotionPublisher(deps.pubSub), deps.webhooks, deps.onError);
  const report = (error: unknown): void => deps.onBackgroundError?.(error);
  const live = new LiveMotionHub(store, publisher, { onError: report });
  const videos = new BatchJobMotionVideoSource(deps.media, deps.videoJobService, deps.videoJobs);
  const queue = new BullMqMotionQueue({ redisUrl: deps.config.REDIS_URL, queueName: MOTION_QUEUE_NAME, bullPrefix: deps.config.BULLMQ_PREFIX, onError: report });
  const worker = new MotionAnalysisWorker(store, videos, publisher, report);
  const service = new MotionAnalysisService(store, {
    queue,
    videos,
    live,
    quota: deps.quota ?? unmeteredAnalysisQuota,
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
