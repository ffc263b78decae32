import type { PubSub } from 'type-graphql';
import type { TenantDbFactory } from '@trinetra/db';
import type { IdentityMatchedEvent, IdentityMatchedPublisher, IdentityWeakMatchEvent, PersonNames } from '../application/live-track-identifier';

/** Pub/sub topic of `identityMatched`; routed by tenant id, so an event never crosses tenants. */
export const IDENTITY_MATCHED_TOPIC = 'IDENTITY_MATCHED';
/** Pub/sub topic of `identityWeakMatch` (review-band tracks), routed by tenant id the same way. */
export const IDENTITY_WEAK_MATCH_TOPIC = 'IDENTITY_WEAK_MATCH';

export class PubSubIdentityMatchedPublisher implements IdentityMatchedPublisher {
  constructor(private readonly pubSub: PubSub) {}

  identityMatched(tenantId: string, event: IdentityMatchedEvent): void {
    this.pubSub.publish(IDENTITY_MATCHED_TOPIC, tenantId, event);
  }

  identityWeakMatch(tenantId: string, event: IdentityWeakMatchEvent): void {
    // Only these four fields: the candidate person never leaves identity.
    this.pubSub.publish(IDENTITY_WEAK_MATCH_TOPIC, tenantId, { cameraId: event.cameraId, trackId: event.trackId, similarity: event.similarity, at: event.at });
  }
}

/** Display names through the tenant-scoped client (RLS): another tenant's person is null. */
export class PrismaPersonNames implements PersonNames {
  constructor(private readonly tenantDb: TenantDbFactory) {}

  async displayName(tenantId: string, personId: string): Promise<string | null> {
    const row = await this.tenantDb(tenantId).person.findFirst({ where: { id: personId }, select: { displayName: true } });
    return row?.displayName ?? null;
  }
}
