/**
 * Camera ownership across server replicas (docs/ARCHITECTURE.md, "Camera ownership across
 * replicas"): a running camera is processed by the one replica holding its lease. This class is
 * the replica's side: the leases it holds, their renewal, and the loop that takes over cameras
 * nobody holds (their owner died). The pipeline asks it before starting or checkpointing a camera.
 */

/** The lease store (Redis in production: RedisCameraLeases). Holders are `<owner>#<fencing token>`. */
export interface CameraLeases {
  readonly owner: string;
  readonly ttlMs: number;
  /** A new holder, this owner's current one, or null when another owner holds it (or it is parked and `takeParked` is not set). */
  acquire(cameraId: string, options?: { takeParked?: boolean }): Promise<string | null>;
  /** False when the lease is no longer `holder`'s. */
  renew(cameraId: string, holder: string): Promise<boolean>;
  release(cameraId: string, holder: string): Promise<boolean>;
  /** Keeps failover away from the camera (meant to run, its source is done) until started again. */
  park(cameraId: string, holder: string): Promise<boolean>;
}

/** Options of {@link CameraOwnership}. */
export interface CameraOwnershipOptions {
  /** How often leases are renewed and unowned cameras looked for, ms (well under the TTL). */
  renewEveryMs: number;
  /** Monotonic clock, ms. */
  now?: () => number;
}

/** What the loop calls back into (the frame pipeline). */
export interface OwnershipLoopHandlers {
  /** The lease of a camera this replica runs is gone (another replica may run it now): stop it here, write nothing. */
  onLost(cameraId: string, why: string): void;
  /** Look for running cameras nobody owns and try to take them; stop owned ones no longer meant to run. */
  reconcile(): Promise<void>;
  onError(err: unknown): void;
}

export class CameraOwnership {
  private readonly held = new Map<string, { holder: string; renewedAt: number }>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private tickRunning: Promise<void> | null = null;

  constructor(
    readonly leases: CameraLeases,
    private readonly options: CameraOwnershipOptions,
  ) {
    if (!(options.renewEveryMs > 0 && options.renewEveryMs * 2 < leases.ttlMs)) {
      throw new Error(`lease renewal (${options.renewEveryMs} ms) must be under half the lease TTL (${leases.ttlMs} ms)`);
    }
    this.now = options.now ?? (() => performance.now());
  }

  /** The fencing token (holder) of a camera this replica owns, or null. */
  holderOf(cameraId: string): string | null {
    return this.held.get(cameraId)?.holder ?? null;
  }

  owns(cameraId: string): boolean {
    return this.held.has(cameraId);
  }

  ownedCameraIds(): string[] {
    return [...this.held.keys()];
  }

  /** This replica's holder of the camera's lease after taking it (or already holding it), or null. */
  async claim(cameraId: string, options: { takeParked?: boolean } = {}): Promise<string | null> {
    const mine = this.held.get(cameraId);
    if (mine) return mine.holder;
    const holder = await this.leases.acquire(cameraId, options);
    if (holder) this.held.set(cameraId, { holder, renewedAt: this.now() });
    return holder;
  }

  async release(cameraId: string): Promise<void> {
    const mine = this.held.get(cameraId);
    if (!mine) return;
    this.held.delete(cameraId);
    await this.leases.release(cameraId, mine.holder);
  }

  async park(cameraId: string): Promise<void> {
    const mine = this.held.get(cameraId);
    if (!mine) return;
    this.held.delete(cameraId);
    await this.leases.park(cameraId, mine.holder);
  }

  /** Forgets a lease another replica took (no write: it is theirs now). */
  forget(cameraId: string): void {
    this.held.delete(cameraId);
  }

  /**
   * Renews every held lease. A lease is lost when Redis says another holder has it, or when it
   * could not be renewed for TTL − one renewal interval: by then Redis may let it expire and
   * another replica take it, so this one stops first (the fence guards the checkpoints either way).
   */
  async renewAll(onLost: OwnershipLoopHandlers['onLost'], onError: (err: unknown) => void): Promise<void> {
    const giveUpAfter = this.leases.ttlMs - this.options.renewEveryMs;
    await Promise.all(
      [...this.held].map(async ([cameraId, lease]) => {
        try {
          const renewed = await this.leases.renew(cameraId, lease.holder);
          if (this.held.get(cameraId) !== lease) return;
          if (renewed) {
            lease.renewedAt = this.now();
            return;
          }
          this.held.delete(cameraId);
          onLost(cameraId, 'another replica holds the lease');
        } catch (err) {
          onError(err);
          if (this.held.get(cameraId) === lease && this.now() - lease.renewedAt >= giveUpAfter) {
            this.held.delete(cameraId);
            onLost(cameraId, `the lease could not be renewed for ${Math.round(this.now() - lease.renewedAt)} ms`);
          }
        }
      }),
    );
  }

  /** Renews and reconciles every `renewEveryMs` until {@link stop}. */
  start(handlers: OwnershipLoopHandlers): void {
    if (this.timer) return;
    const tick = async (): Promise<void> => {
      await this.renewAll(handlers.onLost, handlers.onError);
      await handlers.reconcile().catch(handlers.onError);
    };
    this.timer = setInterval(() => {
      // A slow tick (Redis or Postgres stalling) is not overlapped by the next one.
      if (this.tickRunning) return;
      this.tickRunning = tick().finally(() => {
        this.tickRunning = null;
      });
    }, this.options.renewEveryMs);
  }

  /** Stops the loop and waits for a tick in progress. Leases stay held until released. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tickRunning;
  }
}

/** A camera change made on a replica that does not own the camera, for the one that does. */
export interface CameraCommand {
  op: 'start' | 'stop';
  tenantId: string;
  cameraId: string;
}

/** Carries {@link CameraCommand}s between replicas (Redis pub/sub in the server). */
export interface CameraControlBus {
  send(command: CameraCommand): void;
  /** Returns the unsubscribe function. */
  subscribe(handler: (command: CameraCommand) => void): () => void;
}

/** A command as received from the bus, or null when it is not one (never trust the wire). */
export function parseCameraCommand(value: unknown): CameraCommand | null {
  if (typeof value !== 'object' || value === null) return null;
  const { op, tenantId, cameraId } = value as Record<string, unknown>;
  if ((op !== 'start' && op !== 'stop') || typeof tenantId !== 'string' || typeof cameraId !== 'string') return null;
  if (tenantId.length > 64 || cameraId.length > 64) return null;
  return { op, tenantId, cameraId };
}
