'use client';

import { useCallback, useEffect, useRef } from 'react';
import { useClient } from 'urql';
import {
  IDENTITY_WEAK_MATCH_SUBSCRIPTION, LIVE_WEAK_MATCHES_QUERY,
  type IdentityWeakMatchSubscriptionResult, type LiveWeakMatchesResult,
} from '../graphql';

/**
 * A camera's weakly matched tracks (track id -> similarity): faces that resemble someone
 * enrolled but scored below the match threshold (identity's review band). The server never
 * says who, so neither can the view. Loads the current ones (`liveWeakMatches`, for a page
 * opened late) and adds each new one as `identityWeakMatch` fires. Only for cameras with
 * identity on; without identity:read both answer FORBIDDEN and no badge is drawn.
 * Returns a getter the canvas reads every frame (no re-render per event).
 */
export function useWeakMatches(cameraId: string | null, enabled: boolean): () => ReadonlyMap<number, number> {
  const client = useClient();
  const weak = useRef(new Map<number, number>());
  useEffect(() => {
    weak.current = new Map();
    if (!cameraId || !enabled) return undefined;
    const current = weak.current;
    let live = true;
    void client
      .query<LiveWeakMatchesResult>(LIVE_WEAK_MATCHES_QUERY, { cameraId }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((r) => {
        // The subscription may already have told of a track: its value is as good.
        if (live) for (const w of r.data?.liveWeakMatches ?? []) if (!current.has(Number(w.trackId))) current.set(Number(w.trackId), w.similarity);
      });
    const subscription = client
      .subscription<IdentityWeakMatchSubscriptionResult>(IDENTITY_WEAK_MATCH_SUBSCRIPTION, { cameraId })
      .subscribe((result) => {
        const w = result.data?.identityWeakMatch;
        if (w && w.cameraId === cameraId) current.set(Number(w.trackId), w.similarity);
      });
    return () => {
      live = false;
      subscription.unsubscribe();
    };
  }, [client, cameraId, enabled]);
  // Stable, so effects that read it do not restart on every render.
  return useCallback(() => weak.current, []);
}
