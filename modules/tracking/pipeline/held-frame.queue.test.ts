import type { SubmitOutcome } from '../domain/supervision';
import { HeldFrameQueue } from './held-frame.queue';

/** A control plane that pushes back while `full` is true and records what it admitted. */
function harness() {
  const state = { full: false, admitted: [] as number[], paused: 0, resumed: 0, drained: 0 };
  const queue = new HeldFrameQueue<number>(
    (seq): SubmitOutcome => {
      if (state.full) return { status: 'backpressure', retryAfterMs: 50 };
      state.admitted.push(seq);
      return { status: 'admitted', frameId: `f${seq}` };
    },
    { pause: () => void (state.paused += 1), resume: () => void (state.resumed += 1) },
    () => void (state.drained += 1),
  );
  return { state, queue };
}

describe('HeldFrameQueue', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('submits straight through while the control plane accepts', () => {
    const { state, queue } = harness();
    [1, 2, 3].forEach((s) => queue.offer(s));
    expect(state.admitted).toEqual([1, 2, 3]);
    expect(state.paused).toBe(0);
  });

  it('holds a pushed-back frame, pauses the source, keeps later frames behind it, and resumes in order', () => {
    const { state, queue } = harness();
    queue.offer(1);
    state.full = true;
    queue.offer(2);
    expect(state.paused).toBe(1);
    queue.offer(3); // a frame the paused source had already decoded
    expect(queue.size).toBe(2);
    jest.advanceTimersByTime(50); // still full: retried, held again, nothing lost
    expect(queue.size).toBe(2);
    state.full = false;
    jest.advanceTimersByTime(50);
    expect(state.admitted).toEqual([1, 2, 3]);
    expect(queue.size).toBe(0);
    expect(state.resumed).toBe(1);
    expect(state.drained).toBe(1);
  });

  it('stops retrying once closed', () => {
    const { state, queue } = harness();
    state.full = true;
    queue.offer(1);
    queue.close();
    state.full = false;
    jest.advanceTimersByTime(1_000);
    queue.offer(2);
    expect(state.admitted).toEqual([]);
  });
});
