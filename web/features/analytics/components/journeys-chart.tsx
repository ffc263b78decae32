'use client';

import { useEffect, useMemo, useState } from 'react';
import { ResponsiveContainer, Sankey, Tooltip } from 'recharts';
import { useQuery } from 'urql';
import { journeyGraph } from '../domain/journey-graph';
import { ZONE_TRANSITIONS_QUERY, type Zone, type ZoneTransitionsResult } from '../graphql';

const WINDOW_MS = 60 * 60_000;

interface NodeProps {
  x: number;
  y: number;
  width: number;
  height: number;
  payload: { name: string; value: number };
}

/** A zone bar with its name and how many moves went through it. */
function JourneyNode({ x, y, width, height, payload }: NodeProps) {
  return (
    <g>
      <rect x={x} y={y} width={width} height={height} fill="#0ea5e9" />
      <text x={x + width + 6} y={y + height / 2} dy="0.35em" fontSize={13} fill="#0f172a">
        {payload.name} ({payload.value})
      </text>
    </g>
  );
}
const REFRESH_MS = 5_000;

/** Journeys of the last hour: which zone people went to after leaving each zone (a Sankey diagram). */
export function JourneysChart({ cameraId, zones }: { cameraId: string; zones: readonly Zone[] }) {
  const [range, setRange] = useState(() => ({ from: new Date(Date.now() - WINDOW_MS).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }));
  useEffect(() => {
    const timer = setInterval(
      () => setRange({ from: new Date(Date.now() - WINDOW_MS).toISOString(), to: new Date(Date.now() + 60_000).toISOString() }),
      REFRESH_MS,
    );
    return () => clearInterval(timer);
  }, []);
  const [{ data }] = useQuery<ZoneTransitionsResult>({ query: ZONE_TRANSITIONS_QUERY, variables: { cameraId, ...range }, requestPolicy: 'network-only' });
  const graph = useMemo(() => journeyGraph(data?.zoneTransitions ?? [], new Map(zones.map((z) => [z.id, z.name]))), [data, zones]);
  return (
    <figure className="card" data-testid="journeys" data-links={graph.links.length}>
      <figcaption className="muted small">Journeys, last hour: where people went after leaving a zone</figcaption>
      {graph.links.length === 0 ? (
        <p className="muted small">No zone-to-zone moves yet (they need two or more zones).</p>
      ) : (
        <div style={{ width: '100%', height: 260 }}>
          <ResponsiveContainer>
            <Sankey
              data={graph}
              nodePadding={24}
              margin={{ top: 8, right: 120, bottom: 8, left: 8 }}
              link={{ stroke: '#0ea5e9' }}
              node={(props: NodeProps) => <JourneyNode {...props} />}
            >
              <Tooltip />
            </Sankey>
          </ResponsiveContainer>
        </div>
      )}
    </figure>
  );
}
