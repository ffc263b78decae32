import type { PubSub } from 'type-graphql';

/** Pub/sub topic of "a camera's zones or alert rules changed" between replicas (not a GraphQL subscription). */
export const ANALYTICS_CONFIG_TOPIC = 'ANALYTICS_CONFIG_CHANGED';

export interface AnalyticsConfigChange {
  tenantId: string;
  cameraId: string;
}

function parseChange(message: unknown): AnalyticsConfigChange | null {
  if (typeof message !== 'object' || message === null) return null;
  const { tenantId, cameraId } = message as Record<string, unknown>;
  if (typeof tenantId !== 'string' || typeof cameraId !== 'string' || !tenantId || !cameraId) return null;
  return { tenantId, cameraId };
}

/**
 * Zones and alert rules are edited through whichever replica the admin's request reached, but
 * the camera's analytics engine state lives on the replica that owns the camera (camera leases,
 * docs/ARCHITECTURE.md). So an edit is announced to every replica over Redis pub/sub and each
 * drops its cached configuration for that camera; the owner reloads it on its next frame. The
 * editing replica also invalidates at once, so its own reads never wait for the round trip.
 * Returns the function the zone and alert services call after a change, and a stop function.
 */
export function broadcastAnalyticsConfigChanges(
  pubSub: PubSub,
  logger: { warn(context: object, message: string): void; error(context: object, message: string): void },
  invalidate: (tenantId: string, cameraId: string) => void,
): { changed: (tenantId: string, cameraId: string) => void; start: () => void; stop: () => void } {
  let messages: AsyncIterableIterator<unknown> | null = null;
  return {
    changed: (tenantId, cameraId) => {
      invalidate(tenantId, cameraId);
      pubSub.publish(ANALYTICS_CONFIG_TOPIC, { tenantId, cameraId } satisfies AnalyticsConfigChange);
    },
    /** Listens for other replicas' changes (the server calls it at start; building services subscribes to nothing). */
    start: () => {
      if (messages) return;
      const listening = pubSub.subscribe(ANALYTICS_CONFIG_TOPIC) as AsyncIterableIterator<unknown>;
      messages = listening;
      void (async () => {
        for await (const message of listening) {
          const change = parseChange(message);
          if (change) invalidate(change.tenantId, change.cameraId);
          else logger.warn({ message }, 'ignored a malformed analytics configuration change');
        }
      })().catch((err: unknown) => logger.error({ err }, 'analytics configuration listener stopped'));
    },
    stop: () => {
      void messages?.return?.();
      messages = null;
    },
  };
}
