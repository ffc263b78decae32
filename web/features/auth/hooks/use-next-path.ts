'use client';

import { useSearchParams } from 'next/navigation';

/** Where to go after signing in: the `next` parameter when it is a local path, else cameras. */
export function useNextPath(): string {
  const next = useSearchParams().get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/cameras';
}
