'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { SessionProvider, useSession, useSessionStore } from '@/features/auth/hooks/use-session';
import { ConnectionProvider, useConnectionStore } from '@/features/connection/hooks/use-connection';
import { configureApiUrl } from '@/lib/api-config';
import { createApiClient } from '@/lib/graphql-client';

function ApiClientProvider({ children }: { children: ReactNode }) {
  const session = useSessionStore();
  const connection = useConnectionStore();
  const signedIn = useSession().status === 'signedIn';
  // The first render (and the server render) gets a client without a socket; the effect swaps
  // in one per session state so that sockets are opened and closed by effects only.
  const [api, setApi] = useState(() => createApiClient(session, connection, false));
  useEffect(() => {
    const next = createApiClient(session, connection, signedIn);
    setApi(next);
    return () => next.dispose();
  }, [session, connection, signedIn]);
  return <UrqlProvider value={api.client}>{children}</UrqlProvider>;
}

/** Session, live connection and GraphQL client for every page, against `apiUrl`. */
export function Providers({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  // Before any client is created below; the value is the same for every render.
  configureApiUrl(apiUrl);
  return (
    <SessionProvider>
      <ConnectionProvider>
        <ApiClientProvider>{children}</ApiClientProvider>
      </ConnectionProvider>
    </SessionProvider>
  );
}
