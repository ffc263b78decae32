import { ControlPlaneError, ControlPlaneErrorCode } from './control-plane.error';
import { IndexedMinHeap } from './indexed-min-heap';
import type { PendingFrame } from './pending-frame';

const byExpiry = <R>(a: PendingFrame<R>, b: PendingFrame<R>): number => a.expiresAt - b.expiresAt || a.seq - b.seq;

/**
 * The frames one camera holds: bounded, ordered by sequence, each with an expiry. Pure data
 * structure: it does not decide what to drop, it answers in O(1) / O(log N):
 *
 * - `insert` appends a frame (sequences strictly increase): O(log N) for the expiry heap;
 * - `get(seq)` finds a frame to merge a result into: O(1);
 * - `popExpired(now)` takes every frame whose expiry passed: O(K log N) for K expiries;
 * - `releaseReady()` takes resolved frames from the head, strictly in sequence order, stopping
 *   at the first unresolved one. A missing frame cannot block forever: it expires, the caller
 *   removes it, and its successors are released.
 */
export class PendingFrameBuffer<R> {
  private readonly bySeq = new Map<number, PendingFrame<R>>();
  private readonly expiry = new IndexedMinHeap<PendingFrame<R>>(byExpiry);
  private head: PendingFrame<R> | null = null;
  private tail: PendingFrame<R> | null = null;
  private highestSeq = Number.NEGATIVE_INFINITY;

  /**
   * @param capacity most frames held at once; `insert` beyond it is a programming fault, so
   *   callers check `isFull` first and apply their tier's policy.
   */
  constructor(
    readonly cameraId: string,
    readonly capacity: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new ControlPlaneError(ControlPlaneErrorCode.INVALID_ARGUMENT, `capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.bySeq.size;
  }

  get isFull(): boolean {
    return this.bySeq.size >= this.capacity;
  }

  /** The highest sequence ever inserted (`-Infinity` before the first). */
  get lastSeq(): number {
    return this.highestSeq;
  }

  /** Fill level 0..1. */
  get fill(): number {
    return this.bySeq.size / this.capacity;
  }

  get(seq: number): PendingFrame<R> | undefined {
    return this.bySeq.get(seq);
  }

  /** The newest frame held (the tail), or null. */
  newest(): PendingFrame<R> | null {
    return this.tail;
  }

  /** The oldest frame held (the head), or null. */
  oldest(): PendingFrame<R> | null {
    return this.head;
  }

  /** Earliest expiry among held frames, `Infinity` when none can expire. */
  nextExpiry(): number {
    return this.expiry.peek()?.expiresAt ?? Number.POSITIVE_INFINITY;
  }

  insert(frame: PendingFrame<R>): void {
    if (this.isFull) {
      throw new ControlPlaneError(ControlPlaneErrorCode.BUFFER_INVARIANT, `buffer of camera ${this.cameraId} is full`, { capacity: this.capacity });
    }
    if (!(frame.seq > this.highestSeq)) {
      throw new ControlPlaneError(ControlPlaneErrorCode.BUFFER_INVARIANT, `sequence ${frame.seq} is not after ${this.highestSeq}`, { cameraId: this.cameraId });
    }
    this.highestSeq = frame.seq;
    this.bySeq.set(frame.seq, frame);
    frame.seqPrev = this.tail;
    frame.seqNext = null;
    if (this.tail) this.tail.seqNext = frame;
    else this.head = frame;
    this.tail = frame;
    if (frame.expiresAt !== Number.POSITIVE_INFINITY) this.expiry.push(frame);
  }

  /** Changes when `frame` expires (`Infinity`: never, e.g. once its result is merged). */
  setExpiry(frame: PendingFrame<R>, expiresAt: number): void {
    frame.expiresAt = expiresAt;
    if (expiresAt === Number.POSITIVE_INFINITY) this.expiry.remove(frame);
    else this.expiry.update(frame);
  }

  /** Unlinks `frame` from the buffer (it was delivered or dropped). */
  remove(frame: PendingFrame<R>): void {
    if (this.bySeq.get(frame.seq) !== frame) return;
    this.bySeq.delete(frame.seq);
    this.expiry.remove(frame);
    if (frame.seqPrev) frame.seqPrev.seqNext = frame.seqNext;
    else this.head = frame.seqNext;
    if (frame.seqNext) frame.seqNext.seqPrev = frame.seqPrev;
    else this.tail = frame.seqPrev;
    frame.seqPrev = null;
    frame.seqNext = null;
  }

  /**
   * Appends to `out` every frame whose expiry is at or before `now`, earliest first, and takes
   * them out of the expiry heap (they stay in the buffer: the caller drops or re-arms them).
   * @returns how many were appended.
   */
  popExpired(now: number, out: PendingFrame<R>[]): number {
    let count = 0;
    for (let top = this.expiry.peek(); top !== undefined && top.expiresAt <= now; top = this.expiry.peek()) {
      this.expiry.pop();
      out.push(top);
      count += 1;
    }
    return count;
  }

  /**
   * Removes resolved frames from the head in sequence order, appending them to `out`, and stops
   * at the first frame that is not resolved.
   * @returns how many were released.
   */
  releaseReady(out: PendingFrame<R>[]): number {
    let count = 0;
    while (this.head !== null && this.head.state === 'resolved') {
      const frame = this.head;
      this.remove(frame);
      out.push(frame);
      count += 1;
    }
    return count;
  }
}
