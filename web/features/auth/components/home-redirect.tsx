'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useSession } from '../hooks/use-session';

/** `/` goes to the cameras with a session, else to sign-in. */
export function HomeRedirect() {
  const session = useSession();
  const router = useRouter();
  useEffect(() => {
    if (session.status === 'signedIn') router.replace('/cameras');
    else if (session.status === 'signedOut') router.replace('/sign-in');
  }, [session.status, router]);
  return <p className="loading" aria-busy="true">Loading…</p>;
}
