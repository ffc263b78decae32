/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
/**
 * Anonymous visitors in store analytics (issues 13 and 14), end to end: the real server, Redis,
 * BullMQ, a gpu-worker process (`auto`: MoveNet MultiPose + the FaceRes face stage) and Postgres.
 * A stranger nobody enrolled walks past two identity cameras, each with a zone over the whole
 * view; identity gives the unknown track an anonymous visit id, the same on both cameras, and
 * analytics keys the zone visits with it, so `journeys` / `journeyFlows` show one journey
 * `visit:<id>` from one camera to the other. A second stranger is a different visit.
 * Frames are composed as in live-identity.int.test.ts (support/face-clip.ts) and streamed by
 * support/face-pass.ts (shared with the dashboard's web/e2e/journeys-visitors.int.test.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithInputs, REPO_ROOT } from '@trinetra/shared/testing';
import { type ClipFrame, composedFrames, decodeFaceClip, emptyFrame, FACE_CLIP, FACE_CLIP_KEYPOINTS, facePhoto } from './support/face-clip';
import { streamFacePass } from './support/face-pass';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { startTestWorker } from './support/test-worker';

const ENROLLED = [facePhoto('bernadette', 1), facePhoto('bernadette', 2)];
const STRANGER = facePhoto('leonard', 4);
const OTHER_STRANGER = facePhoto('penny', 1);
const MODELS = ['movenet-multipose.onnx', 'faceres.onnx'].map((m) => path.join(REPO_ROOT, '.trinetra/models', m));

const ENROL = `mutation($input: EnrollPersonInput!) { enrollPerson(input: $input) { id } }`;
const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`;
const UPSERT_ZONE = `mutation($input: UpsertZoneInput!) { upsertZone(input: $input) { id } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id } }`;
const FRAMES = `subscription($id: ID!) { frameResults(cameraId: $id) { seq tracks { trackId } } }`;
const LABELS = `query($id: ID!) { liveTrackIdentities(cameraId: $id) { trackId displayName } }`;
const JOURNEYS = `query($from: DateTimeISO!, $to: DateTimeISO!) {
  journeys(from: $from, to: $to) { total journeys { personKey visits { cameraId zoneId enteredAt exitedAt } } } }`;
const FLOWS = `query($from: DateTimeISO!, $to: DateTimeISO!) { journeyFlows(from: $from, to: $to) { journeys links { fromZoneId toZoneId count } } }`;

const WHOLE_VIEW = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];

interface Journey {
  personKey: string;
  visits: { cameraId: string; zoneId: string; enteredAt: string; exitedAt: string }[];
}

describeWithInputs([...ENROLLED, STRANGER, OTHER_STRANGER, FACE_CLIP, FACE_CLIP_KEYPOINTS, ...MODELS], 'the anonymous visit journeys end-to-end test')(
  'anonymous visitors across cameras in journeys (server, Redis, worker, ONNX, Postgres)',
  () => {
    let t: TestApp;
    let worker: Awaited<ReturnType<typeof startTestWorker>>;
    let token: string;
    const dir = mkdtempSync(path.join(tmpdir(), 'trinetra-live-visits-'));
    let clipFrames: ClipFrame[] = [];

    beforeAll(async () => {
      t = await startTestApp();
      worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'auto' });
      token = (await signUpTenant(t.url, 'Anonymous visits')).accessToken;
      clipFrames = decodeFaceClip(dir);
    }, 90_000);
    afterAll(async () => {
      await worker?.stop();
      await t?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** An identity camera with an AREA zone over its whole view, started. */
    async function camera(name: string): Promise<{ cameraId: string; zoneId: string }> {
      const created = await gql(t.url, CREATE, { input: { name, sourceKind: 'UPLOAD', tier: 'LIVE', targetFps: 10, identity: true } }, token);
      expect(created.errors).toBeUndefined();
      const cameraId = created.data!['createCamera'].id as string;
      const zone = await gql(t.url, UPSERT_ZONE, { input: { cameraId, name: `${name} floor`, kind: 'AREA', polygon: WHOLE_VIEW } }, token);
      expect(zone.errors).toBeUndefined();
      expect((await gql(t.url, START, { id: cameraId }, token)).errors).toBeUndefined();
      return { cameraId, zoneId: zone.data!['upsertZone'].id as string };
    }

    /**
     * One person's pass on a camera (support/face-pass.ts): composed frames of `photo` until
     * enough came back with a track, then the empty scene until the track ended, so its zone
     * visit is written with the person key identity gave it; then nobody is named live.
     */
    async function pass(cameraId: string, photo: string): Promise<void> {
      const client = wsClient(t.wsUrl, token);
      const results = nextResults<{ data: { frameResults: { seq: number; tracks: unknown[] } } }>(client, FRAMES, { id: cameraId }, 10_000);
      try {
        await results.ready;
        const seen = await results.atLeast(0);
        await streamFacePass({
          ingestUrl: t.wsUrl.replace('/graphql', '/ingest'),
          token,
          cameraId,
          frames: await composedFrames(clipFrames, photo),
          empty: await emptyFrame(),
          seen: () => seen.map((f) => ({ seq: f.data.frameResults.seq, tracks: f.data.frameResults.tracks.length })),
          explain: () => `worker said:\n${worker.log()}`,
        });
        // Nobody was named: an anonymous visitor never shows a name in the live view.
        expect((await gql(t.url, LABELS, { id: cameraId }, token)).data!['liveTrackIdentities']).toEqual([]);
      } finally {
        results.dispose();
        await client.dispose();
      }
    }

    it('joins a never-enrolled visitor across two cameras under one visit key; another stranger gets another key', async () => {
      const enrolled = await gql(t.url, ENROL, { input: { displayName: 'Bernadette', photos: ENROLLED.map((p) => readFileSync(p).toString('base64')) } }, token);
      expect(enrolled.errors).toBeUndefined();
      const door = await camera('Door');
      const till = await camera('Till');
      const range = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };

      await pass(door.cameraId, STRANGER);
      await pass(till.cameraId, STRANGER);
      const secondFrom = Date.now();
      await pass(door.cameraId, OTHER_STRANGER);

      // Analytics writes each second; poll until the visits are rows (or give up and show what is there).
      let journeys: Journey[] = [];
      const deadline = Date.now() + 30_000;
      const spansBoth = (j: Journey): boolean => j.visits.some((v) => v.cameraId === door.cameraId) && j.visits.some((v) => v.cameraId === till.cameraId);
      const second = (j: Journey): boolean => Date.parse(j.visits[0]!.enteredAt) >= secondFrom;
      while (Date.now() < deadline) {
        const res = await gql(t.url, JOURNEYS, range, token);
        expect(res.errors).toBeUndefined();
        journeys = (res.data!['journeys'] as { journeys: Journey[] }).journeys;
        if (journeys.some(spansBoth) && journeys.some(second)) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      const shown = JSON.stringify(journeys, null, 1);
      const across = journeys.filter(spansBoth);
      expect({ across: across.length, journeys: shown }).toEqual({ across: 1, journeys: shown });
      const [visitor] = across;
      expect(visitor!.personKey).toMatch(/^visit:[0-9a-f-]{36}$/);
      // Door first, then the till: one link across the cameras.
      expect(visitor!.visits.map((v) => v.zoneId)).toEqual([door.zoneId, till.zoneId]);
      // The second stranger: another anonymous visit, on the door only.
      const others = journeys.filter(second);
      expect({ others: others.map((j) => [j.personKey.startsWith('visit:'), j.visits.map((v) => v.zoneId)]), journeys: shown }).toEqual({
        others: [[true, [door.zoneId]]],
        journeys: shown,
      });
      expect(others[0]!.personKey).not.toBe(visitor!.personKey);
      // Nobody enrolled was there: no journey names a person.
      expect(journeys.filter((j) => j.personKey.startsWith('person:'))).toEqual([]);

      const flows = (await gql(t.url, FLOWS, range, token)).data!['journeyFlows'] as { links: { fromZoneId: string; toZoneId: string; count: number }[] };
      expect(flows.links).toEqual([{ fromZoneId: door.zoneId, toZoneId: till.zoneId, count: 1 }]);
      console.log(`journeys: ${journeys.map((j) => `${j.personKey.slice(0, 14)}… ${j.visits.length} visit(s)`).join('; ')}`);
      for (const c of [door, till]) await gql(t.url, STOP, { id: c.cameraId }, token);
    }, 300_000);

    it('a camera stopped and started again forgets its tracks: the next stranger on track id 1 is a new visit, never the previous one', async () => {
      token = (await signUpTenant(t.url, 'Anonymous visits, restarted camera')).accessToken;
      const door = await camera('Door');
      const range = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
      await pass(door.cameraId, STRANGER);
      // Stopped and started at once: the tracker numbers tracks from 1 again, while identity's
      // and analytics' per-track state would otherwise still hold the first stranger's visit key.
      expect((await gql(t.url, STOP, { id: door.cameraId }, token)).errors).toBeUndefined();
      expect((await gql(t.url, START, { id: door.cameraId }, token)).errors).toBeUndefined();
      await pass(door.cameraId, OTHER_STRANGER);

      let journeys: Journey[] = [];
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        journeys = ((await gql(t.url, JOURNEYS, range, token)).data!['journeys'] as { journeys: Journey[] }).journeys;
        if (journeys.length >= 2) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      const shown = JSON.stringify(journeys, null, 1);
      // Two people, two keys, one door visit each (with the bug: one key holding both visits).
      expect({ visits: journeys.map((j) => j.visits.length).sort(), journeys: shown }).toEqual({ visits: [1, 1], journeys: shown });
      expect(new Set(journeys.map((j) => j.personKey)).size).toBe(2);
      for (const j of journeys) expect(j.personKey).toMatch(/^visit:[0-9a-f-]{36}$/);
      await gql(t.url, STOP, { id: door.cameraId }, token);
    }, 300_000);
  },
);
