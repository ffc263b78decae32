import type { Principal } from '@trinetra/shared';

interface Entry {
  secretHash: string;
  principal: Principal;
  expiresAt: number;
}

/**
 * Verified API keys kept in memory for a few seconds, so a busy integration does not cost a
 * Postgres round trip per request. Revocation stays immediate: the revoking process drops the
 * entry at once and broadcasts the prefix (Redis pub/sub) so every other process drops it too;
 * the TTL bounds the window should a broadcast be lost.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(prefix: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(prefix);
    if (entry && entry.expiresAt <= now) {
      this.entries.delete(prefix);
      return undefined;
    }
    return entry;
  }

  set(prefix: string, secretHash: string, principal: Principal, now = Date.now()): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(prefix, { secretHash, principal, expiresAt: now + this.ttlMs });
  }

  forget(prefix: string): void {
    this.entries.delete(prefix);
  }
}
