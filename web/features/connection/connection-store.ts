/**
 * State of the live (graphql-ws) connection as the UI needs it: are we online, when did we
 * last hear from the server, and has the connection ever dropped (so the banner does not
 * flash while the first connection is still being made).
 */

export interface ConnectionSnapshot {
  readonly online: boolean;
  /** Set once a connection attempt has failed or an open connection has closed. */
  readonly dropped: boolean;
  /** Wall-clock ms of the last message (data, ping or pong) from the server; null if none yet. */
  readonly lastUpdateAt: number | null;
  /** How many times the client has reconnected after a drop. */
  readonly reconnects: number;
}

const INITIAL: ConnectionSnapshot = { online: false, dropped: false, lastUpdateAt: null, reconnects: 0 };

export class ConnectionStore {
  private snapshot: ConnectionSnapshot = INITIAL;
  private readonly listeners = new Set<() => void>();
  private lastEmittedUpdateAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConnectionSnapshot => this.snapshot;

  static readonly serverSnapshot: ConnectionSnapshot = INITIAL;

  markConnected(): void {
    const s = this.snapshot;
    this.set({ online: true, dropped: s.dropped, lastUpdateAt: this.now(), reconnects: s.dropped ? s.reconnects + 1 : s.reconnects });
  }

  markClosed(): void {
    if (!this.snapshot.online && this.snapshot.dropped) return;
    this.set({ ...this.snapshot, online: false, dropped: true });
  }

  /**
   * A message arrived. Listeners are told at most once a second: frames arrive many times a
   * second and the banner only shows seconds.
   */
  markMessage(): void {
    const at = this.now();
    if (at - this.lastEmittedUpdateAt < 1000) {
      this.snapshot = { ...this.snapshot, lastUpdateAt: at };
      return;
    }
    this.lastEmittedUpdateAt = at;
    this.set({ ...this.snapshot, lastUpdateAt: at });
  }

  reset(): void {
    this.set(INITIAL);
  }

  private set(next: ConnectionSnapshot): void {
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}
