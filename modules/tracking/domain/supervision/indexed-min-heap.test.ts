import { IndexedMinHeap, type HeapItem } from './indexed-min-heap';

interface Item extends HeapItem {
  key: number;
}
const item = (key: number): Item => ({ key, heapIndex: -1 });
const drain = (heap: IndexedMinHeap<Item>) => {
  const out: number[] = [];
  for (let i = heap.pop(); i; i = heap.pop()) out.push(i.key);
  return out;
};

describe('IndexedMinHeap', () => {
  it.each([
    { keys: [5, 3, 8, 1, 9, 2], removeAt: [], expected: [1, 2, 3, 5, 8, 9] },
    { keys: [5, 3, 8, 1, 9, 2], removeAt: [0, 3], expected: [2, 3, 8, 9] },
    { keys: [1, 1, 1, 0], removeAt: [3], expected: [1, 1, 1] },
    { keys: [], removeAt: [], expected: [] },
  ])('pops $keys without removed indexes $removeAt in order', ({ keys, removeAt, expected }) => {
    const heap = new IndexedMinHeap<Item>((a, b) => a.key - b.key);
    const items = keys.map(item);
    items.forEach((i) => heap.push(i));
    removeAt.forEach((idx) => expect(heap.remove(items[idx] as Item)).toBe(true));
    expect(drain(heap)).toEqual(expected);
    items.forEach((i) => expect(i.heapIndex).toBe(-1));
  });

  it('re-keys an item in place and agrees with a sort over random operations', () => {
    const heap = new IndexedMinHeap<Item>((a, b) => a.key - b.key);
    const live = new Set<Item>();
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let step = 0; step < 5000; step += 1) {
      const r = rand();
      if (r < 0.5 || live.size === 0) {
        const i = item(Math.floor(rand() * 1000));
        heap.push(i);
        live.add(i);
      } else if (r < 0.7) {
        const victim = [...live][Math.floor(rand() * live.size)] as Item;
        heap.remove(victim);
        live.delete(victim);
      } else if (r < 0.85) {
        const victim = [...live][Math.floor(rand() * live.size)] as Item;
        victim.key = Math.floor(rand() * 1000);
        heap.update(victim);
      } else {
        const top = heap.pop() as Item;
        expect(top.key).toBe(Math.min(...[...live].map((i) => i.key)));
        live.delete(top);
      }
      expect(heap.size).toBe(live.size);
    }
    expect(drain(heap)).toEqual([...live].map((i) => i.key).sort((a, b) => a - b));
  });
});
