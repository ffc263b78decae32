'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

/** Health page filters, kept in the URL so a view can be shared and survives reload. */
export interface HealthParams {
  /** Only this camera's card and events; null for all. */
  readonly cameraId: string | null;
}

/** Reads and writes the health filters (`?camera=`); render inside <Suspense>. */
export function useHealthParams(): {
  readonly params: HealthParams;
  readonly eventVariables: { cameraId: string | null; last: number };
  readonly setCameraId: (cameraId: string | null) => void;
} {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const cameraId = search.get('camera') || null;
  const params = useMemo(() => ({ cameraId }), [cameraId]);
  const eventVariables = useMemo(() => ({ cameraId, last: 50 }), [cameraId]);
  const setCameraId = useCallback((next: string | null) => {
    const query = new URLSearchParams(search.toString());
    if (next) query.set('camera', next);
    else query.delete('camera');
    const qs = query.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname);
  }, [search, router, pathname]);
  return { params, eventVariables, setCameraId };
}
