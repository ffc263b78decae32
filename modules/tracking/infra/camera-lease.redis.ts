import type { Redis } from 'ioredis';
import type { CameraLeases } from '../pipeline/camera-ownership';

/** Key prefix of camera leases; the checkpoint store's fence reads the same keys. */
export const CAMERA_LEASE_KEY_PREFIX = 'trinetra:camera-lease:';
/** A lease's value while its camera is parked (meant to run, its source is done: not claimed by failover). */
export const PARKED_LEASE = 'parked';

/**
 * Takes a free lease (or, with ARGV[3] = '1', a parked one) with a new fencing token, or
 * renews one this owner already holds. The holder string `<owner>#<token>` is the fence:
 * checkpoint writes compare it for equality, so it must never repeat for two owners (the
 * owner id is unique per process; the counter only needs to grow while Redis keeps its data).
 */
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur then
  if not (cur == '${PARKED_LEASE}' and ARGV[3] == '1') then
    local owner = string.match(cur, '^(.*)#%d+$')
    if owner == ARGV[1] then
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return cur
    end
    return false
  end
end
local holder = ARGV[1] .. '#' .. redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], holder, 'PX', ARGV[2])
return holder
`;

/**
 * 1: renewed. 2: the key was gone (Redis restarted without data, or the lease expired and nobody
 * took it) and is re-asserted by its last holder, which never stopped processing. 0: someone else
 * holds it (or it was parked): the caller lost it.
 */
const RENEW = `
local cur = redis.call('GET', KEYS[1])
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 2
end
return 0
`;

/** Deletes the lease (ARGV[2] = '') or parks it for ARGV[2] ms, only if ARGV[1] still holds it. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], '${PARKED_LEASE}', 'PX', ARGV[2])
end
return 1
`;

/** Options of {@link RedisCameraLeases}. */
export interface RedisCameraLeaseOptions {
  /** This process's owner id (unique per process; never contains a newline). */
  readonly owner: string;
  /** Lease lifetime, ms: how long a dead owner's cameras wait before another replica takes them. */
  readonly ttlMs: number;
  /** How long a parked lease keeps failover away from a camera whose source is done, ms. Default 24 h. */
  readonly parkTtlMs?: number;
  readonly keyPrefix?: string;
}

/**
 * Camera leases in Redis (docs/ARCHITECTURE.md, "Camera ownership across replicas"): one key per
 * camera, `SET PX` with the holder `<owner>#<fencing token>`, every change made by a Lua script
 * that compares the holder first, so acquire, renew and release are atomic.
 */
export class RedisCameraLeases implements CameraLeases {
  readonly owner: string;
  readonly ttlMs: number;
  private readonly parkTtlMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisCameraLeaseOptions,
  ) {
    if (!options.owner || /[\s#]/.test(options.owner)) throw new Error(`a lease owner id without spaces or '#', but got ${JSON.stringify(options.owner)}`);
    if (!Number.isInteger(options.ttlMs) || options.ttlMs < 100) throw new Error(`a lease TTL of at least 100 ms, but got ${options.ttlMs}`);
    this.owner = options.owner;
    this.ttlMs = options.ttlMs;
    this.parkTtlMs = options.parkTtlMs ?? 24 * 3600_000;
    this.prefix = options.keyPrefix ?? CAMERA_LEASE_KEY_PREFIX;
  }

  keyOf(cameraId: string): string {
    return `${this.prefix}${cameraId}`;
  }

  private tokenKeyOf(cameraId: string): string {
    return `${this.prefix}${cameraId}:token`;
  }

  async acquire(cameraId: string, options: { takeParked?: boolean } = {}): Promise<string | null> {
    const holder = (await this.redis.eval(ACQUIRE, 2, this.keyOf(cameraId), this.tokenKeyOf(cameraId), this.owner, String(this.ttlMs), options.takeParked ? '1' : '0')) as string | null;
    return holder ?? null;
  }

  async renew(cameraId: string, holder: string): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.keyOf(cameraId), holder, String(this.ttlMs))) > 0;
  }

  async release(cameraId: string, holder: string): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE, 1, this.keyOf(cameraId), holder, '')) === 1;
  }

  async park(cameraId: string, holder: string): Promise<boolean> {
    return Number(await this.redis.eval(RELEASE, 1, this.keyOf(cameraId), holder, String(this.parkTtlMs))) === 1;
  }

  /** The current holder (`<owner>#<token>`), `parked`, or null. */
  async holderOf(cameraId: string): Promise<string | null> {
    return this.redis.get(this.keyOf(cameraId));
  }
}
