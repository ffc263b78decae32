'use client';

import { useEffect, useState } from 'react';
import { useClient } from 'urql';
import { ZONE_STATS_UPDATED_SUBSCRIPTION, type ZoneStatsUpdate, type ZoneStatsUpdatedResult } from '../graphql';

export interface LiveZoneFigures {
  occupancy: number;
  /** Counted since the page opened. */
  entries: number;
  exits: number;
  in: number;
  out: number;
}

/** Live figures per zone of a camera, summed from `zoneStatsUpdated`; `version` moves with every update. */
export function useLiveZoneStats(cameraId: string): { figures: Record<string, LiveZoneFigures>; version: number } {
  const client = useClient();
  const [state, setState] = useState<{ figures: Record<string, LiveZoneFigures>; version: number }>({ figures: {}, version: 0 });
  useEffect(() => {
    const subscription = client.subscription<ZoneStatsUpdatedResult>(ZONE_STATS_UPDATED_SUBSCRIPTION, { cameraId }).subscribe((result) => {
      const u: ZoneStatsUpdate | undefined = result.data?.zoneStatsUpdated;
      if (!u) return;
      setState((prev) => {
        const before = prev.figures[u.zoneId] ?? { occupancy: 0, entries: 0, exits: 0, in: 0, out: 0 };
        const next = {
          occupancy: u.occupancy,
          entries: before.entries + u.entries,
          exits: before.exits + u.exits,
          in: before.in + u.in,
          out: before.out + u.out,
        };
        return { figures: { ...prev.figures, [u.zoneId]: next }, version: prev.version + 1 };
      });
    });
    return () => subscription.unsubscribe();
  }, [client, cameraId]);
  return state;
}
