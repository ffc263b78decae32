import { randomUUID } from 'node:crypto';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

/**
 * journeys, journeyFlows and analytics settings over GraphQL on the real server: visits on two
 * cameras of one person (identity's person key) join into one journey ordered with the
 * tenant's clock-skew tolerance; another tenant sees nothing of them; bad input is
 * BAD_USER_INPUT with the field named.
 */
const CREATE_CAMERA = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const UPSERT_ZONE = `mutation($input: UpsertZoneInput!) { upsertZone(input: $input) { id } }`;
const ME = `{ me { tenant { id } } }`;
const JOURNEYS = `query($from: DateTimeISO!, $to: DateTimeISO!, $cameraIds: [ID!], $first: Int) {
  journeys(from: $from, to: $to, cameraIds: $cameraIds, first: $first) { total skewSeconds journeys { personKey visits { cameraId zoneId enteredAt exitedAt } } } }`;
const FLOWS = `query($from: DateTimeISO!, $to: DateTimeISO!, $cameraIds: [ID!]) {
  journeyFlows(from: $from, to: $to, cameraIds: $cameraIds) { journeys skewSeconds nodes { cameraId zoneId visits } links { fromZoneId toZoneId count medianTransitSeconds } } }`;
const SETTINGS = `query { analyticsSettings { retentionDays journeySkewSeconds } }`;
const UPDATE_SETTINGS = `mutation($d: Int!, $s: Float!) { updateAnalyticsSettings(retentionDays: $d, journeySkewSeconds: $s) { retentionDays journeySkewSeconds } }`;

const SQUARE = [
  [0.1, 0.1],
  [0.4, 0.1],
  [0.4, 0.4],
  [0.1, 0.4],
];

describe('journeys across cameras over GraphQL (real server, Postgres)', () => {
  let t: TestApp;
  let token: string;
  let other: string;
  let tenantId: string;
  const cam: Record<'a' | 'b', string> = { a: '', b: '' };
  const zone: Record<'door' | 'shelf' | 'till', string> = { door: '', shelf: '', till: '' };
  const t0 = Date.UTC(2026, 10, 20, 10);
  const range = { from: new Date(t0 - 3_600_000).toISOString(), to: new Date(t0 + 3_600_000).toISOString() };

  beforeAll(async () => {
    t = await startTestApp();
    token = (await signUpTenant(t.url, 'Journeys')).accessToken;
    other = (await signUpTenant(t.url, 'Other')).accessToken;
    tenantId = ((await gql(t.url, ME, {}, token)).data!['me'] as { tenant: { id: string } }).tenant.id;
    for (const k of ['a', 'b'] as const) {
      const res = await gql(t.url, CREATE_CAMERA, { input: { name: `cam ${k}`, sourceKind: 'SIMULATOR' } }, token);
      cam[k] = (res.data!['createCamera'] as { id: string }).id;
    }
    for (const [k, c] of [
      ['door', cam.a],
      ['shelf', cam.a],
      ['till', cam.b],
    ] as const) {
      const res = await gql(t.url, UPSERT_ZONE, { input: { cameraId: c, name: k, kind: 'AREA', polygon: SQUARE } }, token);
      zone[k] = (res.data!['upsertZone'] as { id: string }).id;
    }
    // Person ana: door (cam A) 10 s, a short shelf visit (cam A) ending at +20.0 s, then the till
    // on cam B whose clock runs 1.5 s behind: stamped entry +19.0 s, before the shelf ended.
    // A track without identity walks door -> shelf on cam A.
    const exit = (zoneId: string, cameraId: string, personKey: string | null, trackId: number, enterS: number, exitS: number) => ({
      id: randomUUID(),
      tenantId,
      zoneId,
      cameraId,
      trackId,
      kind: 'EXIT' as const,
      at: new Date(t0 + exitS * 1000),
      enteredAt: new Date(t0 + enterS * 1000),
      dwellMs: (exitS - enterS) * 1000,
      personKey,
    });
    await t.app.db.zoneEvent.createMany({
      data: [
        exit(zone.door, cam.a, 'person:ana', 1, 0, 10),
        exit(zone.shelf, cam.a, 'person:ana', 1, 19.8, 20),
        exit(zone.till, cam.b, 'person:ana', 7, 20.5 - 1.5, 60),
        exit(zone.door, cam.a, null, 2, 100, 110),
        exit(zone.shelf, cam.a, null, 2, 112, 130),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('joins one person across cameras, ordered with the 2 s default skew, and draws flows', async () => {
    const res = await gql(t.url, JOURNEYS, range, token);
    expect(res.errors).toBeUndefined();
    const page = res.data!['journeys'] as { total: number; skewSeconds: number; journeys: { personKey: string; visits: { zoneId: string }[] }[] };
    expect(page.skewSeconds).toBe(2);
    expect(page.total).toBe(2);
    const byKey = Object.fromEntries(page.journeys.map((j) => [j.personKey, j.visits.map((v) => v.zoneId)]));
    expect(byKey['person:ana']).toEqual([zone.door, zone.shelf, zone.till]);
    expect(byKey[`${cam.a}:track:2`]).toEqual([zone.door, zone.shelf]);

    const flows = (await gql(t.url, FLOWS, range, token)).data!['journeyFlows'] as {
      journeys: number;
      links: { fromZoneId: string; toZoneId: string; count: number; medianTransitSeconds: number }[];
    };
    expect(flows.journeys).toBe(2);
    expect(flows.links).toEqual([
      { fromZoneId: zone.door, toZoneId: zone.shelf, count: 2, medianTransitSeconds: (9.8 + 2) / 2 },
      { fromZoneId: zone.shelf, toZoneId: zone.till, count: 1, medianTransitSeconds: 0 },
    ]);
    // One camera only: the person's journey stops at the shelf.
    const onlyA = (await gql(t.url, JOURNEYS, { ...range, cameraIds: [cam.a] }, token)).data!['journeys'] as { journeys: { personKey: string; visits: unknown[] }[] };
    expect(onlyA.journeys.find((j) => j.personKey === 'person:ana')!.visits).toHaveLength(2);
  });

  it('uses the tenant tolerance: with 0 s the skewed till visit comes before the shelf', async () => {
    const set = await gql(t.url, UPDATE_SETTINGS, { d: 30, s: 0 }, token);
    expect(set.data!['updateAnalyticsSettings']).toEqual({ retentionDays: 30, journeySkewSeconds: 0 });
    const page = (await gql(t.url, JOURNEYS, range, token)).data!['journeys'] as { journeys: { personKey: string; visits: { zoneId: string }[] }[] };
    expect(page.journeys.find((j) => j.personKey === 'person:ana')!.visits.map((v) => v.zoneId)).toEqual([zone.door, zone.till, zone.shelf]);
    await gql(t.url, UPDATE_SETTINGS, { d: 90, s: 2 }, token);
    expect((await gql(t.url, SETTINGS, {}, token)).data!['analyticsSettings']).toEqual({ retentionDays: 90, journeySkewSeconds: 2 });
  });

  it('keeps tenants apart: another tenant sees no journeys, cannot name these cameras, and has its own settings', async () => {
    const page = (await gql(t.url, JOURNEYS, range, other)).data!['journeys'] as { total: number };
    expect(page.total).toBe(0);
    expect(((await gql(t.url, FLOWS, range, other)).data!['journeyFlows'] as { links: unknown[] }).links).toEqual([]);
    const foreign = await gql(t.url, JOURNEYS, { ...range, cameraIds: [cam.a] }, other);
    expect(foreign.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    await gql(t.url, UPDATE_SETTINGS, { d: 7, s: 5 }, other);
    expect((await gql(t.url, SETTINGS, {}, token)).data!['analyticsSettings']).toEqual({ retentionDays: 90, journeySkewSeconds: 2 });
    expect((await gql(t.url, SETTINGS, {}, other)).data!['analyticsSettings']).toEqual({ retentionDays: 7, journeySkewSeconds: 5 });
  });

  it('refuses bad input with the field named (attack inputs included)', async () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['a range over 31 days', JOURNEYS, { from: new Date(t0 - 40 * 86_400_000).toISOString(), to: range.to }, 'to'],
      ['a range that ends before it starts', FLOWS, { from: range.to, to: range.from }, 'to'],
      ['a page of 0', JOURNEYS, { ...range, first: 0 }, 'first'],
      ['a negative page', JOURNEYS, { ...range, first: -5 }, 'first'],
      ['an empty camera list', FLOWS, { ...range, cameraIds: [] }, 'cameraIds'],
      ['retention of 0 days', UPDATE_SETTINGS, { d: 0, s: 2 }, 'retentionDays'],
      ['retention of 100 years', UPDATE_SETTINGS, { d: 36_500, s: 2 }, 'retentionDays'],
      ['a negative skew', UPDATE_SETTINGS, { d: 90, s: -1 }, 'journeySkewSeconds'],
      ['a skew of an hour', UPDATE_SETTINGS, { d: 90, s: 3600 }, 'journeySkewSeconds'],
    ];
    for (const [name, query, vars, field] of cases) {
      const res = await gql(t.url, query, vars, token);
      expect({ name, code: res.errors?.[0]?.extensions?.['code'], field: res.errors?.[0]?.extensions?.['field'] }).toEqual({ name, code: 'BAD_USER_INPUT', field });
    }
    // A huge page is refused before any resolver runs (server/graphql/query-limits.ts).
    expect((await gql(t.url, JOURNEYS, { ...range, first: 10_000 }, token)).errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    // A malformed camera id (an injection attempt) is NOT_FOUND like a foreign one, never an SQL error.
    const injected = await gql(t.url, JOURNEYS, { ...range, cameraIds: ["x'::uuid); DROP TABLE \"ZoneEvent\"; --"] }, token);
    expect(injected.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    expect((await gql(t.url, JOURNEYS, range, token)).data!['journeys']).toMatchObject({ total: 2 });
  });
});
