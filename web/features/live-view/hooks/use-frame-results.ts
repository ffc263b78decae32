'use client';

import { useEffect, useRef, useState } from 'react';
import { useClient, type CombinedError } from 'urql';
import { fromFrameResultMessage, type FrameResult } from '../domain/frame-result';
import { FRAME_RESULTS_SUBSCRIPTION, type FrameResultsSubscriptionResult } from '../graphql';

/**
 * Subscribes to `frameResults(cameraId)` and hands each result to `onResult` without
 * re-rendering (results arrive many times a second; the canvas reads them from a timeline).
 * Returns the subscription's error, if any.
 */
export function useFrameResults(cameraId: string | null, onResult: (result: FrameResult) => void): CombinedError | null {
  const client = useClient();
  const onResultRef = useRef(onResult);
  onResultRef.current = onResult;
  const [error, setError] = useState<CombinedError | null>(null);
  useEffect(() => {
    if (!cameraId) return undefined;
    const subscription = client
      .subscription<FrameResultsSubscriptionResult>(FRAME_RESULTS_SUBSCRIPTION, { cameraId })
      .subscribe((result) => {
        if (result.error) setError(result.error);
        if (result.data) {
          setError(null);
          onResultRef.current(fromFrameResultMessage(result.data.frameResults));
        }
      });
    return () => subscription.unsubscribe();
  }, [client, cameraId]);
  return error;
}
