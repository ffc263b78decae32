'use client';

import { useEffect, useMemo, useRef } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { LINE_COUNTS_QUERY, ZONE_STATS_QUERY, type LineCountsResult, type Zone, type ZoneStatsResult } from '../graphql';

const WINDOW_MS = 30 * 60_000;
/** Most one refetch per this many ms, however often live figures move. */
const REFETCH_EVERY_MS = 3_000;

function minuteLabel(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The last 30 minutes of a zone, per minute: entries, exits and peak occupancy (AREA) or crossings in and out (LINE). */
export function ZoneChart({ zone, refreshKey }: { zone: Zone; refreshKey: number }) {
  // The window moves with the minute; live figures (refreshKey) trigger a throttled refetch.
  const minute = Math.floor(Date.now() / 60_000);
  const range = useMemo(() => {
    const to = new Date((minute + 1) * 60_000);
    return { from: new Date(to.getTime() - WINDOW_MS).toISOString(), to: to.toISOString() };
  }, [minute]);
  const area = zone.kind === 'AREA';
  const [stats, refetchStats] = useQuery<ZoneStatsResult>({
    query: ZONE_STATS_QUERY,
    variables: { zoneId: zone.id, ...range, bucket: 'MINUTE' },
    pause: !area,
    requestPolicy: 'network-only',
  });
  const [lines, refetchLines] = useQuery<LineCountsResult>({
    query: LINE_COUNTS_QUERY,
    variables: { lineId: zone.id, ...range, bucket: 'MINUTE' },
    pause: area,
    requestPolicy: 'network-only',
  });
  const lastRefetch = useRef(0);
  useEffect(() => {
    if (refreshKey === 0 || Date.now() - lastRefetch.current < REFETCH_EVERY_MS) return;
    lastRefetch.current = Date.now();
    if (area) refetchStats({ requestPolicy: 'network-only' });
    else refetchLines({ requestPolicy: 'network-only' });
  }, [refreshKey, area, refetchStats, refetchLines]);
  const data: Record<string, string | number>[] = area
    ? (stats.data?.zoneStats.buckets ?? []).map((b) => ({ t: minuteLabel(b.start), entries: b.entries, exits: b.exits, occupancy: b.occupancyMax }))
    : (lines.data?.lineCounts.buckets ?? []).map((b) => ({ t: minuteLabel(b.start), in: b.in, out: b.out }));
  const total = area ? (stats.data?.zoneStats.entries ?? 0) : (lines.data?.lineCounts.in ?? 0) + (lines.data?.lineCounts.out ?? 0);
  return (
    <figure className="card zone-chart" data-testid="zone-chart" data-points={data.length} data-total={total}>
      <figcaption className="muted small">{zone.name}: last 30 minutes, per minute</figcaption>
      <div style={{ width: '100%', height: 240 }}>
        <ResponsiveContainer>
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="t" minTickGap={24} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Legend />
            {area ? (
              <>
                <Bar dataKey="entries" fill="#0ea5e9" isAnimationActive={false} />
                <Bar dataKey="exits" fill="#94a3b8" isAnimationActive={false} />
                <Line dataKey="occupancy" name="peak occupancy" stroke="#f97316" dot={false} isAnimationActive={false} />
              </>
            ) : (
              <>
                <Bar dataKey="in" fill="#22c55e" isAnimationActive={false} />
                <Bar dataKey="out" fill="#ef4444" isAnimationActive={false} />
              </>
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
