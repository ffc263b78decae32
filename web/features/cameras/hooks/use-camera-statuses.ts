'use client';

import { useSubscription } from 'urql';
import {
  CAMERA_STATUS_CHANGED_SUBSCRIPTION,
  type CameraStatusChange, type CameraStatusChangedResult,
} from '../graphql';

export type LiveStatuses = Readonly<Record<string, CameraStatusChange>>;

/** Latest status per camera id pushed by `cameraStatusChanged`, newest `at` wins. */
export function useLiveCameraStatuses(): LiveStatuses {
  const [result] = useSubscription<CameraStatusChangedResult, LiveStatuses>(
    { query: CAMERA_STATUS_CHANGED_SUBSCRIPTION },
    (previous = {}, data) => {
      const change = data.cameraStatusChanged;
      const known = previous[change.cameraId];
      if (known && Date.parse(known.at) > Date.parse(change.at)) return previous;
      return { ...previous, [change.cameraId]: change };
    },
  );
  return result.data ?? {};
}
