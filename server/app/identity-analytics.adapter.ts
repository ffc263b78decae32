import type { IdentityEventSink } from '@trinetra/analytics';
import type { TenantDbFactory } from '@trinetra/db';
import type { IdentityMatchedEvent, IdentityMatchedPublisher, IdentityVisitEvent, IdentityWeakMatchEvent } from '@trinetra/identity';

/** The tag that marks a person as a VIP (identity's free person tags, `tagPerson`). */
export const VIP_TAG = 'VIP';

/**
 * Identity -> analytics, in the composition root so neither module imports the other: a track
 * identity named becomes analytics' `PersonRecognized` keyed `person:<id>` (VIP from the person's
 * tags; the visit number is identity's per-tenant count, a new visit after 30 min unseen, so
 * REPEAT_VISITOR fires). An unknown track's anonymous visit id becomes one keyed `visit:<id>`, so a
 * never-enrolled visitor's zone visits on several cameras join into one journey; it names nobody,
 * is never a VIP and is always visit 1, so VIP_ARRIVAL and REPEAT_VISITOR (threshold >= 2) never
 * fire for it.
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

  identityVisit(tenantId: string, event: IdentityVisitEvent): void {
    // Nothing to look up: the visitor is anonymous by construction.
    this.sink.personRecognized(tenantId, {
      cameraId: event.cameraId,
      trackId: event.trackId,
      personKey: `visit:${event.visitId}`,
      personId: null,
      displayName: null,
      vip: false,
      visitNumber: 1,
      at: event.at,
    });
  }
}

/** Several receivers of identity's events (the live view's pub/sub, analytics, webhooks); each takes the optional ones it implements. */
export function identityMatchedFanOut(...receivers: readonly IdentityMatchedPublisher[]): Required<IdentityMatchedPublisher> {
  return {
    identityMatched(tenantId: string, event: IdentityMatchedEvent): void {
      for (const r of receivers) r.identityMatched(tenantId, event);
    },
    identityWeakMatch(tenantId: string, event: IdentityWeakMatchEvent): void {
      for (const r of receivers) r.identityWeakMatch?.(tenantId, event);
    },
    identityVisit(tenantId: string, event: IdentityVisitEvent): void {
      for (const r of receivers) r.identityVisit?.(tenantId, event);
    },
  };
}
