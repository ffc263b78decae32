'use client';

import { useCallback, useEffect, useRef } from 'react';
import { useClient } from 'urql';
import {
  IDENTITY_MATCHED_SUBSCRIPTION, LIVE_TRACK_IDENTITIES_QUERY,
  type IdentityMatchedSubscriptionResult, type LiveTrackIdentitiesResult,
} from '../graphql';

/**
 * Names of a camera's recognised tracks (track id -> display name): the names already given
 * (`liveTrackIdentities`) and each new one as `identityMatched` fires. Only for cameras with
 * identity on; without identity:read both answer FORBIDDEN and the view shows ids only.
 * Returns a getter the canvas reads every frame (no re-render per match).
 */
export function useTrackIdentities(cameraId: string | null, enabled: boolean): () => ReadonlyMap<number, string> {
  const client = useClient();
  const names = useRef(new Map<number, string>());
  useEffect(() => {
    names.current = new Map();
    if (!cameraId || !enabled) return undefined;
    const current = names.current;
    let live = true;
    void client
      .query<LiveTrackIdentitiesResult>(LIVE_TRACK_IDENTITIES_QUERY, { cameraId }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        if (live) for (const l of r.data?.liveTrackIdentities ?? []) current.set(Number(l.trackId), l.displayName);
      });
    const subscription = client
      .subscription<IdentityMatchedSubscriptionResult>(IDENTITY_MATCHED_SUBSCRIPTION, { cameraId })
      .subscribe((result) => {
        const m = result.data?.identityMatched;
        if (m && m.cameraId === cameraId) current.set(Number(m.trackId), m.displayName);
      });
    return () => {
      live = false;
      subscription.unsubscribe();
    };
  }, [client, cameraId, enabled]);
  // Stable, so effects that read it do not restart on every render.
  return useCallback(() => names.current, []);
}
