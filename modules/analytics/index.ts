// The public API of @trinetra/analytics: what other packages use, nothing more (docs/ARCHITECTURE.md,
// "Module boundaries"). Add a name here when another package needs it.
export { AlertService } from './application/alert.service';
export { AnalyticsEngine } from './application/analytics-engine';
export { type AnalyticsMetrics } from './application/analytics-metrics';
export { type IdentityEventSink, type PersonRecognized } from './application/identity-events';
export { type AnalyticsLogger, type AnalyticsPublisher, type ZoneStatsUpdate } from './application/analytics-ports';
export { AnalyticsQueryService } from './application/analytics-query.service';
export { AnalyticsRetentionJob, retentionCutoff } from './application/analytics-retention.job';
export { JourneyService } from './application/journey.service';
export { ZoneService } from './application/zone.service';
export { type AnalyticsFrame } from './domain/analytics-frame';
export { type RollupLevel } from './domain/rollup-plan';
export { AlertResolver } from './graphql/alert.resolver';
export { AnalyticsResolver } from './graphql/analytics.resolver';
export { JourneyResolver } from './graphql/journey.resolver';
export { ZoneResolver } from './graphql/zone.resolver';
export { AlertRepository, type AlertRow } from './infra/alert.repository';
export { AnalyticsQueryRepository } from './infra/analytics-query.repository';
export { AnalyticsRetentionRepository } from './infra/analytics-retention.repository';
export { JourneyRepository } from './infra/journey.repository';
export { AnalyticsWriteRepository } from './infra/analytics-write.repository';
export { PrismaAnalyticsConfigSource } from './infra/prisma-analytics-config.source';
export { PromAnalyticsMetrics } from './infra/prom-analytics.metrics';
export { PubSubAnalyticsPublisher } from './infra/pubsub-analytics.publisher';
export { TenantSql } from './infra/tenant-sql';
export { ZoneRepository } from './infra/zone.repository';
export { analyzeMotion } from './motion/domain/motion-analysis';
export { type MotionKeypoint, type PoseSeries } from './motion/domain/pose-series';
export { SQUAT } from './motion/sports/squat/squat.sport';
export { LiveMotionHub, type LiveMotionFrame } from './motion/application/live-motion.hub';
export { MotionAnalysisService } from './motion/application/motion-analysis.service';
export { MotionAnalysisWorker } from './motion/application/motion-analysis.worker';
export {
  MotionSourceFailure,
  type AnalysisProgressEvent,
  type MetricUpdatedEvent,
  type MotionAnalysisPublisher,
  type MotionAnalysisQuota,
  type MotionAnalysisRow,
  type MotionVideoSource,
} from './motion/application/motion-ports';
export { MotionAnalysisResolver } from './motion/graphql/motion.resolver';
export { BullMqMotionQueue } from './motion/infra/bullmq-motion.queue';
export { MotionAnalysisRepository } from './motion/infra/motion-analysis.repository';
export { PubSubMotionPublisher } from './motion/infra/pubsub-motion.publisher';
export { poseSeriesFromBatchLines } from './motion/domain/batch-pose-series';
export { reportMotion } from './motion/domain/motion-report';
