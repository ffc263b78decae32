'use client';

import { useEffect } from 'react';
import { useQuery, useSubscription, type CombinedError } from 'urql';
import {
  PIPELINE_EVENTS_QUERY, PIPELINE_EVENT_ADDED_SUBSCRIPTION, PIPELINE_HEALTH_QUERY,
  type PipelineEvent, type PipelineEventAddedResult, type PipelineEventsResult, type PipelineHealthResult,
} from '../graphql';

const NO_CACHE = { requestPolicy: 'network-only' as const };

/** `pipelineHealth`, polled every `intervalMs` (default 1000 ms). */
export function usePipelineHealth(intervalMs = 1000): {
  data: PipelineHealthResult['pipelineHealth'] | null; fetching: boolean; error: CombinedError | undefined; updatedAt: number | null;
} {
  const [result, reexecute] = useQuery<PipelineHealthResult>({ query: PIPELINE_HEALTH_QUERY, requestPolicy: 'network-only' });
  useEffect(() => {
    const timer = setInterval(() => reexecute(NO_CACHE), intervalMs);
    return () => clearInterval(timer);
  }, [reexecute, intervalMs]);
  return {
    data: result.data?.pipelineHealth ?? null,
    fetching: result.fetching,
    error: result.error,
    updatedAt: result.data ? Date.now() : null,
  };
}

const FEED_CAPACITY = 100;

/** Recent pipeline events (newest first): the last ones from the server, then live ones. */
export function usePipelineEvents(variables: { cameraId: string | null; last: number }): {
  events: PipelineEvent[]; fetching: boolean; error: CombinedError | undefined;
} {
  const [initial] = useQuery<PipelineEventsResult>({ query: PIPELINE_EVENTS_QUERY, variables, requestPolicy: 'network-only' });
  const [live] = useSubscription<PipelineEventAddedResult, PipelineEvent[]>(
    { query: PIPELINE_EVENT_ADDED_SUBSCRIPTION },
    (previous = [], data) => [data.pipelineEventAdded, ...previous].slice(0, FEED_CAPACITY),
  );
  const liveEvents = (live.data ?? []).filter((e) => !variables.cameraId || e.cameraId === variables.cameraId);
  const past = [...(initial.data?.pipelineEvents ?? [])].reverse();
  return {
    events: [...liveEvents, ...past].slice(0, FEED_CAPACITY),
    fetching: initial.fetching,
    error: initial.error ?? live.error,
  };
}
