/**
 * When is a GraphQL subscription "ready", i.e. will an event published now reach it?
 * graphql-ws has no subscribe acknowledgement, so this watches what the server does: each
 * subscription field listens on the Redis channel `<topic>:<tenant id>` (the `topics` and
 * `topicId` of its resolver), and it is ready once Redis reports a subscriber on that channel.
 * The caller supplies the tenant id (test-app.ts asks the server: `me { tenant { id } }`).
 *
 * Limitation: a subscriber already on the same channel (another open subscription of the same
 * tenant and topic) makes it ready at once, a moment before the new listener is attached.
 */
import { Kind, OperationTypeNode, parse } from 'graphql';
import { Redis } from 'ioredis';

/**
 * Subscription field -> pub/sub topic: modules/ingest/graphql/camera.resolver.ts,
 * modules/ingest/graphql/video-job-progress.publisher.ts, modules/tracking/graphql/pipeline.resolver.ts.
 */
const TOPIC_OF_FIELD: Readonly<Record<string, string>> = {
  cameraStatusChanged: 'CAMERA_STATUS_CHANGED',
  videoJobProgress: 'VIDEO_JOB_PROGRESS',
  frameResults: 'FRAME_RESULTS',
  pipelineEventAdded: 'PIPELINE_EVENT',
  // modules/analytics/infra/pubsub-analytics.publisher.ts
  zoneStatsUpdated: 'ZONE_STATS_UPDATED',
  alertRaised: 'ALERT_RAISED',
  // modules/identity/infra/live-identity.adapters.ts
  identityMatched: 'IDENTITY_MATCHED',
  identityWeakMatch: 'IDENTITY_WEAK_MATCH',
  // modules/analytics/motion/infra/pubsub-motion.publisher.ts
  analysisProgress: 'ANALYSIS_PROGRESS',
  analysisCompleted: 'ANALYSIS_COMPLETED',
  metricUpdated: 'METRIC_UPDATED',
};

/** The channel the server subscribes to for `query`, or null when it is no subscription (a query over the socket). */
export function subscriptionChannel(query: string, tenantId: string): string | null {
  const operation = parse(query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION) return null;
  const field = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  const name = field?.kind === Kind.FIELD ? field.name.value : '(none)';
  const topic = TOPIC_OF_FIELD[name];
  if (!topic) throw new Error(`subscription field ${name} has no topic in server/test/support/subscription-ready.ts: add it`);
  return `${topic}:${tenantId}`;
}

/** Resolves once Redis at `redisUrl` has a subscriber on `channel`; rejects after `timeoutMs`, naming it. */
export async function untilSubscribed(redisUrl: string, channel: string, timeoutMs = 15_000): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(count) > 0) return;
      if (Date.now() > deadline) throw new Error(`no server subscribed to Redis channel ${channel} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await redis.quit();
  }
}
