/**
 * A counting semaphore: at most `size` holders at once, waiters served in arrival order. The
 * video job service shares one across every tenant's run so a process never decodes more
 * videos at once than its capacity, however many tenants start batches.
 */
export class JobSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = Math.max(1, Math.floor(size));
  }

  /** Waits for a free slot; call the returned function exactly once to give it back. */
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }
}
