import type { Redis } from 'ioredis';
import type { TrackerSnapshot } from '../domain/mot/byte-tracker';
import { MotError, MotErrorCode } from '../domain/mot/mot.error';
import type { TrackerCheckpointStore } from '../domain/mot/tracker-checkpoint.store';
import { CAMERA_LEASE_KEY_PREFIX } from './camera-lease.redis';

/** Writes the checkpoint only while the camera's lease (KEYS[1]) is held by ARGV[1], the writer's fence. */
const FENCED_SET = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
return 1
`;

/** Options of {@link RedisTrackerCheckpointStore}. */
export interface RedisTrackerCheckpointOptions {
  /** Key prefix; the key is `<prefix><cameraId>`. Default `trinetra:tracker-checkpoint:`. */
  readonly keyPrefix?: string;
  /**
   * Lifetime of a checkpoint in seconds, renewed on every save. Default 300. A restart
   * shorter than this keeps track ids; longer, and the camera starts with fresh ids (old
   * positions would be stale anyway). Longer values keep memory for idle cameras.
   */
  readonly ttlSeconds?: number;
  /** Prefix of the camera leases a fenced save checks (RedisCameraLeases' keys). */
  readonly leaseKeyPrefix?: string;
}

/**
 * Per-camera tracker snapshots in Redis as JSON strings with a TTL (`SET key json EX ttl`).
 * One key per camera, overwritten on each save: the newest state wins.
 */
export class RedisTrackerCheckpointStore implements TrackerCheckpointStore {
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly leaseKeyPrefix: string;

  constructor(
    private readonly redis: Redis,
    options: RedisTrackerCheckpointOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'trinetra:tracker-checkpoint:';
    this.ttlSeconds = options.ttlSeconds ?? 300;
    this.leaseKeyPrefix = options.leaseKeyPrefix ?? CAMERA_LEASE_KEY_PREFIX;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 1) {
      throw new MotError(MotErrorCode.INVALID_OPTIONS, `ttlSeconds to be a positive integer, but got ${this.ttlSeconds}`);
    }
  }

  /** The Redis key of a camera's checkpoint. */
  keyOf(cameraId: string): string {
    return `${this.prefix}${cameraId}`;
  }

  async save(cameraId: string, snapshot: TrackerSnapshot, fence?: string): Promise<void> {
    let written: boolean;
    try {
      if (fence === undefined) {
        await this.redis.set(this.keyOf(cameraId), JSON.stringify(snapshot), 'EX', this.ttlSeconds);
        return;
      }
      // Atomic with the lease check: a replica that lost the camera cannot overwrite its new owner's state.
      written = Number(await this.redis.eval(FENCED_SET, 2, `${this.leaseKeyPrefix}${cameraId}`, this.keyOf(cameraId), fence, JSON.stringify(snapshot), String(this.ttlSeconds))) === 1;
    } catch (err) {
      throw new MotError(MotErrorCode.CHECKPOINT_FAILED, `saving the tracker checkpoint of camera ${cameraId} failed`, { cameraId }, { cause: err });
    }
    if (!written) throw new MotError(MotErrorCode.CHECKPOINT_FENCED, `camera ${cameraId}'s lease is no longer held by ${fence}: checkpoint refused`, { cameraId, fence });
  }

  async load(cameraId: string): Promise<unknown> {
    let raw: string | null;
    try {
      raw = await this.redis.get(this.keyOf(cameraId));
    } catch (err) {
      throw new MotError(MotErrorCode.CHECKPOINT_FAILED, `loading the tracker checkpoint of camera ${cameraId} failed`, { cameraId }, { cause: err });
    }
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      // Not JSON: hand back the raw text so restoreTracker discards it as invalid.
      return raw;
    }
  }

  async delete(cameraId: string): Promise<void> {
    try {
      await this.redis.del(this.keyOf(cameraId));
    } catch (err) {
      throw new MotError(MotErrorCode.CHECKPOINT_FAILED, `deleting the tracker checkpoint of camera ${cameraId} failed`, { cameraId }, { cause: err });
    }
  }
}
