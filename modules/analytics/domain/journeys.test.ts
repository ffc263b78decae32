import { buildJourneys, journeyFlows, orderVisits, transitMs, type ZoneVisit } from './journeys';

const S = 1000;
function visit(cameraId: string, zoneId: string, enteredAt: number, exitedAt: number, personKey = 'visit:1'): ZoneVisit {
  return { personKey, cameraId, zoneId, enteredAt: enteredAt * S, exitedAt: exitedAt * S };
}
const zones = (vs: readonly ZoneVisit[]): string[] => vs.map((v) => v.zoneId);

describe('journeys: ordering visits across cameras with clock skew', () => {
  it('orders one camera by entry (one clock, nothing to tolerate)', () => {
    expect(zones(orderVisits([visit('A', 'z2', 20, 30), visit('A', 'z1', 5, 10), visit('A', 'z3', 31, 40)]))).toEqual(['z1', 'z2', 'z3']);
  });

  it('puts a short zone on camera A before the next zone on camera B whose clock runs 1.5 s behind', () => {
    // Truth: X on A from 9.8 s to 10.0 s, then Y on B from 10.3 s to 20 s; B stamps 1.5 s early.
    const x = visit('A', 'X', 9.8, 10.0);
    const y = visit('B', 'Y', 10.3 - 1.5, 20 - 1.5);
    expect(zones(orderVisits([y, x]))).toEqual(['X', 'Y']);
    expect(zones(orderVisits([x, y]))).toEqual(['X', 'Y']);
    // With no tolerance the clocks are taken at their word, and the order comes out wrong.
    expect(zones(orderVisits([x, y], 0))).toEqual(['Y', 'X']);
  });

  it('keeps entry order across cameras when entries are further apart than the skew', () => {
    // A long visit on A, and a nested shorter one on B entered 3 s later (overlapping views).
    expect(zones(orderVisits([visit('B', 'inner', 13, 20), visit('A', 'outer', 10, 100)]))).toEqual(['outer', 'inner']);
  });

  it('honours a configured tolerance (5 s) and the default (2 s)', () => {
    const x = visit('A', 'X', 10, 11);
    const y = visit('B', 'Y', 7, 30); // B 4 s behind
    expect(zones(orderVisits([x, y]))).toEqual(['Y', 'X']);
    expect(zones(orderVisits([x, y], 5 * S))).toEqual(['X', 'Y']);
  });

  it('is deterministic for identical times and refuses a negative tolerance', () => {
    const a = visit('A', 'a', 10, 12);
    const b = visit('B', 'b', 10, 12);
    expect(zones(orderVisits([b, a]))).toEqual(zones(orderVisits([a, b])));
    expect(() => orderVisits([a], -1)).toThrow(RangeError);
  });

  it('clamps transit to 0 when skew makes the next entry look earlier than the last exit', () => {
    expect(transitMs(visit('A', 'X', 9.8, 10), visit('B', 'Y', 8.8, 18.5))).toBe(0);
    expect(transitMs(visit('A', 'X', 1, 10), visit('A', 'Y', 14, 18))).toBe(4 * S);
  });
});

describe('journeys: people, store visits and flows', () => {
  it('groups by person across cameras and splits a person at a long gap (a new store visit)', () => {
    const journeys = buildJourneys(
      [
        visit('B', 'till', 100, 160, 'person:ana'),
        visit('A', 'door', 10, 20, 'person:ana'),
        visit('A', 'shelf', 30, 90, 'person:ana'),
        visit('A', 'door', 5000, 5010, 'person:ana'), // back after more than 30 minutes
        visit('A', 'door', 12, 14, 'A:track:7'),
      ],
      { skewMs: 2 * S },
    );
    expect(journeys.map((j) => [j.personKey, zones(j.visits)])).toEqual([
      ['person:ana', ['door', 'shelf', 'till']],
      ['A:track:7', ['door']],
      ['person:ana', ['door']],
    ]);
  });

  it('counts flows between zones with median transit times', () => {
    const journeys = buildJourneys([
      visit('A', 'door', 0, 10, 'p1'),
      visit('B', 'till', 12, 20, 'p1'),
      visit('A', 'door', 0, 10, 'p2'),
      visit('B', 'till', 16, 20, 'p2'),
      visit('A', 'door', 0, 10, 'p3'),
      visit('B', 'till', 20, 30, 'p3'),
      visit('A', 'door', 0, 5, 'p4'),
      visit('A', 'shelf', 6, 9, 'p4'),
    ]);
    const flows = journeyFlows(journeys);
    expect(flows.links).toEqual([
      { fromZoneId: 'door', toZoneId: 'till', count: 3, medianTransitMs: 6 * S },
      { fromZoneId: 'door', toZoneId: 'shelf', count: 1, medianTransitMs: 1 * S },
    ]);
    expect(flows.nodes).toEqual([
      { cameraId: 'A', zoneId: 'door', visits: 4 },
      { cameraId: 'B', zoneId: 'till', visits: 3 },
      { cameraId: 'A', zoneId: 'shelf', visits: 1 },
    ]);
  });
});
