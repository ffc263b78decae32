import type DataLoader from 'dataloader';
import type { Principal } from './scopes';

/**
 * What every resolver receives, for HTTP and WebSocket alike. Built once per request (or once
 * per subscription operation) by the server's single auth path.
 */
export interface GraphQLContext {
  requestId: string;
  /** Null for anonymous calls (sign-up, sign-in, refresh). */
  principal: Principal | null;
  /**
   * Per-request DataLoaders, created on first use so batching never leaks across requests
   * or tenants: `ctx.loader('camera', () => new DataLoader(...))`.
   */
  loader<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V>;
}

/** Creates the lazily-filled loader registry of one request. */
export function createLoaderRegistry(): GraphQLContext['loader'] {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return <K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V> => {
    let loader = loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = create();
      loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  };
}
