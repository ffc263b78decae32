'use client';

import { useMemo } from 'react';
import { useQuery } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { journeyGraph } from '../domain/journey-graph';
import { JOURNEY_FLOWS_QUERY, type JourneyFlowsResult } from '../graphql';
import { useRollingRange } from '../hooks/use-rolling-range';
import { useZoneLabels } from '../hooks/use-zone-labels';
import { JourneySankey } from './journey-sankey';

const WINDOW_MS = 60 * 60_000;
const REFRESH_MS = 5_000;

/**
 * Journeys of the last hour over every camera (`journeyFlows`): a person is the identity's key
 * when identity is on, so a move from one camera's zone to another camera's zone is one link;
 * nodes say camera and zone.
 */
export function CrossCameraJourneys() {
  const range = useRollingRange(WINDOW_MS, REFRESH_MS);
  const [{ data, error }] = useQuery<JourneyFlowsResult>({ query: JOURNEY_FLOWS_QUERY, variables: range, requestPolicy: 'network-only' });
  const flows = data?.journeyFlows;
  const labels = useZoneLabels(useMemo(() => flows?.nodes.map((n) => n.cameraId) ?? [], [flows]));
  const graph = useMemo(() => journeyGraph(flows?.links ?? [], labels), [flows, labels]);
  const crossCamera = useMemo(() => {
    const cameraOf = new Map(flows?.nodes.map((n) => [n.zoneId, n.cameraId]) ?? []);
    return (flows?.links ?? []).filter((l) => cameraOf.get(l.fromZoneId) !== cameraOf.get(l.toZoneId)).length;
  }, [flows]);
  return (
    <div data-testid="journeys-all" data-links={graph.links.length} data-cross-camera-links={crossCamera}>
      <FormError message={formErrorsFrom(error).form} />
      <p className="muted small">
        {flows?.journeys ?? 0} journeys; visits on different cameras ordered with a clock-skew tolerance of {flows?.skewSeconds ?? '…'} s. Moves between cameras
        need identity (the same person recognised on both).
      </p>
      {graph.links.length === 0 ? <p className="muted small">No zone-to-zone moves in the last hour.</p> : <JourneySankey graph={graph} labelWidth={320} />}
      {graph.links.length > 0 ? (
        <table className="table table--compact" data-testid="journey-links">
          <thead>
            <tr>
              <th>From</th>
              <th>To</th>
              <th>People</th>
              <th>Median transit</th>
            </tr>
          </thead>
          <tbody>
            {(flows?.links ?? [])
              .filter((l) => labels.has(l.fromZoneId) && labels.has(l.toZoneId))
              .map((l) => (
                <tr key={`${l.fromZoneId}>${l.toZoneId}`}>
                  <td>{labels.get(l.fromZoneId)}</td>
                  <td>{labels.get(l.toZoneId)}</td>
                  <td>{l.count}</td>
                  <td>{l.medianTransitSeconds.toFixed(1)} s</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
