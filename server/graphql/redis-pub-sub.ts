import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';
import type { PubSub } from 'type-graphql';

/**
 * Pub/sub over Redis, so an event published by any server process (or by the worker pool)
 * reaches subscribers connected to any other. Topics are `TOPIC:id` with the tenant id as
 * the id, so routing never crosses tenants. Needs two connections: one in subscriber mode.
 */
export function createRedisPubSub(publishClient: Redis, subscribeClient: Redis): PubSub {
  return createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) }) as unknown as PubSub;
}
