import type { PendingFrame } from './pending-frame';

/**
 * FIFO of frames waiting for dispatch, linked through the frames themselves so a frame that
 * expires or is superseded while waiting is unlinked in O(1) (no tombstones, no growth).
 */
export class DispatchQueue<R> {
  private head: PendingFrame<R> | null = null;
  private tail: PendingFrame<R> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  pushBack(frame: PendingFrame<R>): void {
    if (frame.inQueue) return;
    frame.inQueue = true;
    frame.queuePrev = this.tail;
    frame.queueNext = null;
    if (this.tail) this.tail.queueNext = frame;
    else this.head = frame;
    this.tail = frame;
    this.count += 1;
  }

  /** Puts a frame back at the front (a retry keeps its place ahead of newer frames). */
  pushFront(frame: PendingFrame<R>): void {
    if (frame.inQueue) return;
    frame.inQueue = true;
    frame.queueNext = this.head;
    frame.queuePrev = null;
    if (this.head) this.head.queuePrev = frame;
    else this.tail = frame;
    this.head = frame;
    this.count += 1;
  }

  shift(): PendingFrame<R> | null {
    const frame = this.head;
    if (frame) this.remove(frame);
    return frame;
  }

  remove(frame: PendingFrame<R>): void {
    if (!frame.inQueue) return;
    if (frame.queuePrev) frame.queuePrev.queueNext = frame.queueNext;
    else this.head = frame.queueNext;
    if (frame.queueNext) frame.queueNext.queuePrev = frame.queuePrev;
    else this.tail = frame.queuePrev;
    frame.queuePrev = null;
    frame.queueNext = null;
    frame.inQueue = false;
    this.count -= 1;
  }
}
