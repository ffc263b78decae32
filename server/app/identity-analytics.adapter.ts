import type { IdentityEventSink } from '@trinetra/analytics';
import type { TenantDbFactory } from '@trinetra/db';
import type { IdentityMatchedEvent, IdentityMatchedPublisher, IdentityWeakMatchEvent } from '@trinetra/identity';

/** The tag that marks a person as a VIP (identity's free person tags, `tagPerson`). */
export const VIP_TAG = 'VIP';

/**
 * Identity -> analytics, in the composition root so neither module imports the other: a track
 * identity named becomes analytics' `PersonRecognized` (VIP from the person's tags). Anonymous
 * visit ids are not in identity's event yet, so named people are keyed `person:<id>`; the visit
 * number is identity's per-tenant count (a new visit after 30 min unseen), so REPEAT_VISITOR fires.
 */
export class IdentityToAnalytics {
  constructor(
    private readonly tenantDb: TenantDbFactory,
    private readonly sink: IdentityEventSink,
    private readonly onError: (error: unknown) => void,
  ) {}

  identityMatched(tenantId: string, event: IdentityMatchedEvent): void {
    this.tenantDb(tenantId)
      .person.findUnique({ where: { id: event.personId }, select: { tags: true } })
      .then((person) => {
        if (!person) return; // erased meanwhile
        this.sink.personRecognized(tenantId, {
          cameraId: event.cameraId,
          trackId: event.trackId,
          personKey: `person:${event.personId}`,
          personId: event.personId,
          displayName: event.displayName,
          vip: person.tags.some((t) => t.toUpperCase() === VIP_TAG),
          visitNumber: event.visitNumber,
          at: event.at,
        });
      })
      .catch(this.onError);
  }
}

/** Several receivers of identity's `identityMatched` (the live view's pub/sub, analytics). */
export function identityMatchedFanOut(...receivers: readonly IdentityMatchedPublisher[]): Required<IdentityMatchedPublisher> {
  return {
    identityMatched(tenantId: string, event: IdentityMatchedEvent): void {
      for (const r of receivers) r.identityMatched(tenantId, event);
    },
    identityWeakMatch(tenantId: string, event: IdentityWeakMatchEvent): void {
      for (const r of receivers) r.identityWeakMatch?.(tenantId, event);
    },
  };
}
