'use client';

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { apiEndpoints } from '@/lib/api-config';
import { endServerSession, refreshTokens } from '../auth-api';
import { SessionStore, type SessionSnapshot } from '../session-store';

const SessionContext = createContext<SessionStore | null>(null);
const LOADING: SessionSnapshot = { status: 'loading' };

/** Owns the browser session for the app; restores it from the refresh cookie after hydration. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new SessionStore({
    refresh: () => refreshTokens(apiEndpoints().httpUrl),
    endSession: () => endServerSession(apiEndpoints().httpUrl),
  }));
  useEffect(() => {
    // Single-flight inside the store: a second effect run (React strict mode) does not rotate twice at once.
    void store.load();
  }, [store]);
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

/** The session store (for sign-in, sign-out and token access). */
export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore must be used inside <SessionProvider>');
  return store;
}

/** The session state, re-rendering on sign-in, sign-out and refresh. */
export function useSession(): SessionSnapshot {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => LOADING);
}
