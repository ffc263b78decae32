import { JobSlots } from './job-slots';

describe('JobSlots', () => {
  it.each([1, 2, 3])('never lets more than %i holders in, and serves waiters in order', async (size) => {
    const slots = new JobSlots(size);
    let inside = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const release = await slots.acquire();
        order.push(i);
        inside += 1;
        peak = Math.max(peak, inside);
        await new Promise((r) => setTimeout(r, 5));
        inside -= 1;
        release();
        release();
      }),
    );
    expect(peak).toBe(size);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
