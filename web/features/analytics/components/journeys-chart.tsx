'use client';

import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { journeyGraph } from '../domain/journey-graph';
import { ZONE_TRANSITIONS_QUERY, type Zone, type ZoneTransitionsResult } from '../graphql';
import { useRollingRange } from '../hooks/use-rolling-range';
import { CrossCameraJourneys } from './cross-camera-journeys';
import { JourneySankey } from './journey-sankey';

const WINDOW_MS = 60 * 60_000;
const REFRESH_MS = 5_000;

type Scope = 'camera' | 'all';

/** This camera's zone-to-zone moves (per track). */
function CameraJourneys({ cameraId, zones }: { cameraId: string; zones: readonly Zone[] }) {
  const range = useRollingRange(WINDOW_MS, REFRESH_MS);
  const [{ data }] = useQuery<ZoneTransitionsResult>({ query: ZONE_TRANSITIONS_QUERY, variables: { cameraId, ...range }, requestPolicy: 'network-only' });
  const graph = useMemo(() => journeyGraph(data?.zoneTransitions ?? [], new Map(zones.map((z) => [z.id, z.name]))), [data, zones]);
  return (
    <div data-testid="journeys" data-links={graph.links.length}>
      {graph.links.length === 0 ? <p className="muted small">No zone-to-zone moves yet (they need two or more zones).</p> : <JourneySankey graph={graph} />}
    </div>
  );
}

/** Journeys of the last hour as a Sankey diagram: on this camera, or across all cameras. */
export function JourneysChart({ cameraId, zones }: { cameraId: string; zones: readonly Zone[] }) {
  const [scope, setScope] = useState<Scope>('camera');
  return (
    <figure className="card">
      <figcaption className="muted small">
        Journeys, last hour: where people went after leaving a zone{' '}
        <label className="small">
          <span className="visually-hidden">Journeys of</span>
          <select aria-label="Journeys of" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="camera">This camera</option>
            <option value="all">All cameras</option>
          </select>
        </label>
      </figcaption>
      {scope === 'camera' ? <CameraJourneys cameraId={cameraId} zones={zones} /> : <CrossCameraJourneys />}
    </figure>
  );
}
