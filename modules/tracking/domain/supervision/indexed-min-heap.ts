/**
 * A binary min-heap over items that remember their own position (`heapIndex`), so an item can
 * be removed or re-keyed in O(log N) without a search. Used for frame expiry: insert O(log N),
 * pop O(log N), so a sweep of K expiries costs O(K log N).
 */
export interface HeapItem {
  /** Position in the heap, or -1 when not in any heap. Owned by the heap. */
  heapIndex: number;
}

/** Orders two items; negative when `a` must come out first. */
export type HeapCompare<T> = (a: T, b: T) => number;

export class IndexedMinHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  constructor(private readonly compare: HeapCompare<T>) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  has(item: T): boolean {
    return item.heapIndex >= 0 && this.items[item.heapIndex] === item;
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  pop(): T | undefined {
    const top = this.items[0];
    if (top !== undefined) this.removeAt(0);
    return top;
  }

  /** Removes `item` if it is in this heap; returns whether it was. */
  remove(item: T): boolean {
    if (!this.has(item)) return false;
    this.removeAt(item.heapIndex);
    return true;
  }

  /** Restores heap order after `item`'s key changed (inserts it when absent). */
  update(item: T): void {
    if (!this.has(item)) {
      this.push(item);
      return;
    }
    this.siftUp(item.heapIndex);
    this.siftDown(item.heapIndex);
  }

  private removeAt(index: number): void {
    const removed = this.items[index] as T;
    const last = this.items.pop() as T;
    removed.heapIndex = -1;
    if (index < this.items.length) {
      this.items[index] = last;
      last.heapIndex = index;
      this.siftUp(index);
      this.siftDown(last.heapIndex);
    }
  }

  private siftUp(start: number): void {
    const items = this.items;
    const item = items[start] as T;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (this.compare(item, parent) >= 0) break;
      items[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    items[index] = item;
    item.heapIndex = index;
  }

  private siftDown(start: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[start] as T;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.compare(items[right] as T, items[left] as T) < 0) child = right;
      const childItem = items[child] as T;
      if (this.compare(childItem, item) >= 0) break;
      items[index] = childItem;
      childItem.heapIndex = index;
      index = child;
    }
    items[index] = item;
    item.heapIndex = index;
  }
}
