'use client';

import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ConnectionStore, type ConnectionSnapshot } from '../connection-store';

const ConnectionContext = createContext<ConnectionStore | null>(null);

export function ConnectionProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => new ConnectionStore());
  return <ConnectionContext.Provider value={store}>{children}</ConnectionContext.Provider>;
}

export function useConnectionStore(): ConnectionStore {
  const store = useContext(ConnectionContext);
  if (!store) throw new Error('useConnectionStore must be used inside <ConnectionProvider>');
  return store;
}

/** Live connection state (online, dropped, last update). */
export function useConnection(): ConnectionSnapshot {
  const store = useConnectionStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => ConnectionStore.serverSnapshot);
}
