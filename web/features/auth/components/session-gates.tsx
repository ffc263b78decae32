'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect, type ReactNode } from 'react';
import { useNextPath } from '../hooks/use-next-path';
import { useSession } from '../hooks/use-session';

/** Renders children only with a session; otherwise sends the visitor to sign in and back. */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const signedOutExplicitly = session.status === 'signedOut' && session.explicit;
  useEffect(() => {
    if (session.status !== 'signedOut') return;
    router.replace(signedOutExplicitly ? '/sign-in' : `/sign-in?next=${encodeURIComponent(pathname)}`);
  }, [session.status, signedOutExplicitly, router, pathname]);
  if (session.status !== 'signedIn') return <p className="loading" aria-busy="true">Loading…</p>;
  return <>{children}</>;
}

/**
 * Renders children only without a session; once there is one (already, or just signed in)
 * the visitor goes to `?next=` or the cameras. Uses search params: render inside <Suspense>.
 */
export function RequireNoSession({ children }: { children: ReactNode }) {
  const session = useSession();
  const router = useRouter();
  const nextPath = useNextPath();
  useEffect(() => {
    if (session.status === 'signedIn') router.replace(nextPath);
  }, [session.status, router, nextPath]);
  if (session.status !== 'signedOut') return <p className="loading" aria-busy="true">Loading…</p>;
  return <>{children}</>;
}
