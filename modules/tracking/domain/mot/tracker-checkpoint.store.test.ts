import { ByteTracker, type TrackerSnapshot } from './byte-tracker';
import { Detections } from './detections';
import { restoreTracker, type TrackerCheckpointStore } from './tracker-checkpoint.store';

/** An in-memory store holding whatever was put in it. */
const memoryStore = (initial: Record<string, unknown> = {}): TrackerCheckpointStore => {
  const data = new Map<string, unknown>(Object.entries(initial));
  return {
    save: async (id: string, s: TrackerSnapshot) => void data.set(id, JSON.parse(JSON.stringify(s))),
    load: async (id: string) => data.get(id),
    delete: async (id: string) => void data.delete(id),
  };
};

describe('restoreTracker', () => {
  it.each([
    ['fresh', {}],
    ['discarded', { cam: { version: 1, frame: -1 } }],
  ])('gives a %s tracker when the checkpoint is missing or invalid', async (origin, initial) => {
    const result = await restoreTracker(memoryStore(initial), 'cam');
    expect(result.origin).toBe(origin);
    expect(result.tracker.frameCount).toBe(0);
  });

  it('restores saved state', async () => {
    const store = memoryStore();
    const tracker = new ByteTracker();
    for (let f = 0; f < 3; f++) tracker.update(Detections.create({ boxes: [[f, 0, f + 10, 20]], scores: [0.9] }));
    await store.save('cam', tracker.toSnapshot());
    const result = await restoreTracker(store, 'cam');
    expect(result.origin).toBe('restored');
    expect(result.tracker.toSnapshot()).toEqual(tracker.toSnapshot());
  });
});
