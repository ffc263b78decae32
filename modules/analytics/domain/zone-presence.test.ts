import { ZonePresence, type PresenceEvent } from './zone-presence';

const SQUARE = {
  id: 'A',
  polygon: [
    { x: 0.2, y: 0.2 },
    { x: 0.6, y: 0.2 },
    { x: 0.6, y: 0.6 },
    { x: 0.2, y: 0.6 },
  ],
};
const OTHER = {
  id: 'B',
  polygon: [
    { x: 0.7, y: 0.2 },
    { x: 0.9, y: 0.2 },
    { x: 0.9, y: 0.6 },
    { x: 0.7, y: 0.6 },
  ],
};
const IN = { x: 0.4, y: 0.4 };
const OUT = { x: 0.1, y: 0.1 };
const IN_B = { x: 0.8, y: 0.4 };
const FRAME_MS = 100;

/** Feeds one track's positions, one per frame (null: not seen), and collects events by kind. */
function run(positions: ({ x: number; y: number } | null)[], presence = new ZonePresence([SQUARE, OTHER], { enterFrames: 3, exitFrames: 3 })) {
  const events: PresenceEvent[] = [];
  const occupancy: number[] = [];
  positions.forEach((p, i) => {
    events.push(...presence.update(i * FRAME_MS, p ? [{ trackId: 1, point: p }] : []));
    occupancy.push(presence.occupancy('A'));
  });
  return { events, occupancy, presence };
}

const kinds = (events: PresenceEvent[]) => events.map((e) => e.kind);

describe('ZonePresence hysteresis', () => {
  it.each([
    ['enters after 3 frames inside', [OUT, IN, IN, IN], ['enter']],
    ['2 frames inside are not an entry', [OUT, IN, IN, OUT, OUT], []],
    ['an edge flicker (in, out, in, out) is not an entry', [IN, OUT, IN, OUT, IN, OUT], []],
    ['leaves only after 3 frames outside', [IN, IN, IN, OUT, OUT, OUT], ['enter', 'exit']],
    ['2 frames outside keep the visit open', [IN, IN, IN, OUT, OUT, IN, IN], ['enter']],
  ] as const)('%s', (_name, positions, expected) => {
    expect(kinds(run([...positions]).events)).toEqual(expected);
  });

  it('dates the entry at the first frame inside and the exit at the last frame inside', () => {
    const { events } = run([OUT, IN, IN, IN, IN, IN, OUT, OUT, OUT]);
    expect(events).toEqual([
      { kind: 'enter', zoneId: 'A', trackId: 1, at: 100 },
      { kind: 'exit', zoneId: 'A', trackId: 1, enteredAt: 100, exitedAt: 500, dwellMs: 400 },
    ]);
  });

  it('counts occupancy while the visit is confirmed', () => {
    expect(run([IN, IN, IN, IN, OUT, OUT, OUT]).occupancy).toEqual([0, 0, 1, 1, 1, 1, 0]);
  });

  it('closes the visit of a track that is gone, at its last frame inside', () => {
    const presence = new ZonePresence([SQUARE], { enterFrames: 1, exitFrames: 3, goneAfterMs: 1000 });
    presence.update(0, [{ trackId: 7, point: IN }]);
    presence.update(100, [{ trackId: 7, point: IN }]);
    expect(presence.update(1000, [])).toEqual([]);
    expect(presence.update(1200, [])).toEqual([{ kind: 'exit', zoneId: 'A', trackId: 7, enteredAt: 0, exitedAt: 100, dwellMs: 100 }]);
    expect(presence.occupancy('A')).toBe(0);
  });

  it('endAll closes every open visit', () => {
    const { presence } = run([IN, IN, IN]);
    expect(kinds(presence.endAll())).toEqual(['exit']);
  });
});

describe('ZonePresence transitions', () => {
  it('records A -> B when a track leaves A and then enters B', () => {
    const { events } = run([IN, IN, IN, OUT, OUT, OUT, IN_B, IN_B, IN_B]);
    expect(events.filter((e) => e.kind === 'transition')).toEqual([{ kind: 'transition', fromZoneId: 'A', toZoneId: 'B', trackId: 1, at: 600 }]);
  });

  it('records A -> B once when B is entered before leaving A is confirmed (zones closer than the exit hysteresis)', () => {
    const { events } = run([IN, IN, IN, IN_B, IN_B, IN_B, IN_B, IN_B], new ZonePresence([SQUARE, OTHER], { enterFrames: 2, exitFrames: 4 }));
    expect(events.map((e) => e.kind)).toEqual(['enter', 'enter', 'exit', 'transition']);
    expect(events.filter((e) => e.kind === 'transition')).toEqual([{ kind: 'transition', fromZoneId: 'A', toZoneId: 'B', trackId: 1, at: 300 }]);
  });

  it('coming back into the same zone is a new visit, not a transition', () => {
    const { events } = run([IN, IN, IN, OUT, OUT, OUT, IN, IN, IN]);
    expect(kinds(events)).toEqual(['enter', 'exit', 'enter']);
  });

  it('tracks people independently', () => {
    const presence = new ZonePresence([SQUARE], { enterFrames: 2, exitFrames: 2 });
    for (let i = 0; i < 3; i += 1)
      presence.update(i * FRAME_MS, [
        { trackId: 1, point: IN },
        { trackId: 2, point: IN },
        { trackId: 3, point: OUT },
      ]);
    expect(presence.occupancy('A')).toBe(2);
    expect(
      presence
        .openVisits()
        .map((v) => v.trackId)
        .sort(),
    ).toEqual([1, 2]);
  });
});
