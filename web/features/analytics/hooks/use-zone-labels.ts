'use client';

import { useEffect, useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { CAMERAS_QUERY, type CamerasResult } from '@/features/cameras/graphql';
import { ZONES_QUERY, type ZonesResult } from '../graphql';

/**
 * "Camera · Zone" per zone id of the given cameras. The schema lists zones per camera only, so
 * the zones of each camera seen in the flows are fetched once (cached by urql).
 */
export function useZoneLabels(cameraIds: readonly string[]): ReadonlyMap<string, string> {
  const client = useClient();
  const [{ data: camerasData }] = useQuery<CamerasResult>({ query: CAMERAS_QUERY, variables: { first: 100 } });
  const [zonesByCamera, setZonesByCamera] = useState<Record<string, { id: string; name: string }[]>>({});
  const key = [...new Set(cameraIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    const ids = key ? key.split(',') : [];
    void Promise.all(ids.map(async (cameraId) => [cameraId, (await client.query<ZonesResult>(ZONES_QUERY, { cameraId }).toPromise()).data?.zones ?? []] as const)).then(
      (entries) => {
        if (live) setZonesByCamera(Object.fromEntries(entries));
      },
    );
    return () => {
      live = false;
    };
  }, [client, key]);
  return useMemo(() => {
    const cameraNames = new Map((camerasData?.cameras.edges ?? []).map((e) => [e.node.id, e.node.name]));
    const labels = new Map<string, string>();
    for (const [cameraId, zones] of Object.entries(zonesByCamera))
      for (const z of zones) labels.set(z.id, `${cameraNames.get(cameraId) ?? 'Camera'} · ${z.name}`);
    return labels;
  }, [camerasData, zonesByCamera]);
}
