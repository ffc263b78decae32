/** @jest-environment ./gpu-worker/inference/testing/onnx-node.environment.js */
/**
 * Live identity on tracks (issues 12 and 13), end to end: the real server, Redis, BullMQ, a
 * gpu-worker process (`auto`, MoveNet MultiPose + the FaceRes face stage) and Postgres.
 *
 * No shared clip shows a face large enough to recognise, so the uploaded frames are composed:
 * the walking person of tfjs-models' pose_1.mp4 (upper part of the frame, scaled 2x) with a
 * face photo from the shared faces pasted over their head, placed by the clip's reference eye
 * keypoints (pose_1.json) frame by frame (support/face-clip.ts). MultiPose sees a real body and
 * the face's eyes; the face stage embeds the pasted face. Enrolment uses photos 1-2 of a person; the camera
 * sees photo 3, which was not enrolled (held out), and a stranger who was never enrolled. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { encodeFrameMessage } from '@trinetra/ingest';
import { describeWithInputs, REPO_ROOT } from '@trinetra/shared/testing';
import { type ClipFrame, composedFrames, decodeFaceClip, FACE_CLIP, FACE_CLIP_KEYPOINTS, facePhoto as photo } from './support/face-clip';
import { gql, nextResults, signUpTenant, startTestApp, type TestApp, wsClient } from './support/test-app';
import { startTestWorker } from './support/test-worker';

const PHOTOS = [photo('bernadette', 1), photo('bernadette', 2), photo('bernadette', 3), photo('leonard', 4)];
const MODELS = ['movenet-multipose.onnx', 'faceres.onnx'].map((m) => path.join(REPO_ROOT, '.trinetra/models', m));

const ENROL = `mutation($input: EnrollPersonInput!) { enrollPerson(input: $input) { id displayName } }`;
const CREATE = `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id identity identityConsentBy identityConsentAt } }`;
const START = `mutation($id: ID!) { startCamera(id: $id) { id } }`;
const STOP = `mutation($id: ID!) { stopCamera(id: $id) { id } }`;
const MATCHED = `subscription($id: ID) { identityMatched(cameraId: $id) { cameraId trackId personId displayName similarity at } }`;
const FRAMES = `subscription($id: ID!) { frameResults(cameraId: $id) { seq tracks { trackId } } }`;
const LABELS = `query($id: ID!) { liveTrackIdentities(cameraId: $id) { trackId displayName } }`;

interface Matched {
  cameraId: string;
  trackId: number;
  personId: string;
  displayName: string;
  similarity: number;
}

describeWithInputs([...PHOTOS, FACE_CLIP, FACE_CLIP_KEYPOINTS, ...MODELS], 'the live identity end-to-end test')('live identity on tracks (server, Redis, worker, ONNX, Postgres)', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let token: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'trinetra-live-identity-'));
  /** Every 4th frame of the clip (30 frames) and its eye midpoint. */
  let clipFrames: ClipFrame[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'auto' });
    token = (await signUpTenant(t.url, 'Live identity')).accessToken;
    clipFrames = decodeFaceClip(dir);
  }, 90_000);
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Uploads frames of `file` to an upload camera until `until()` or `max` frames; returns how many were sent. */
  async function upload(cameraId: string, file: string, until: () => boolean, max: number): Promise<number> {
    const socket = new WebSocket(`${t.wsUrl.replace('/graphql', '/ingest')}?cameraId=${cameraId}&token=${token}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const frames = await composedFrames(clipFrames, file);
    let seq = 0;
    try {
      // Paced like a phone at ~7 fps; the worker loads its models on the first frames.
      while (!until() && seq < max) {
        seq += 1;
        socket.send(encodeFrameMessage({ cameraId, seq, captureTs: Date.now(), jpeg: frames[seq % frames.length]! }));
        await new Promise((r) => setTimeout(r, 150));
      }
    } finally {
      socket.close();
    }
    return seq;
  }

  async function camera(name: string, identity: boolean): Promise<string> {
    const created = await gql(t.url, CREATE, { input: { name, sourceKind: 'UPLOAD', tier: 'LIVE', targetFps: 10, identity } }, token);
    expect(created.errors).toBeUndefined();
    const cam = created.data!['createCamera'];
    expect(cam.identity).toBe(identity);
    // Turning identity on records who consented and when; off records nobody.
    if (identity) expect(cam.identityConsentBy).toMatch(/^user:/);
    else expect(cam.identityConsentBy).toBeNull();
    expect((await gql(t.url, START, { id: cam.id }, token)).errors).toBeUndefined();
    return cam.id as string;
  }

  it('names the track of an enrolled person (held-out photo) and fires identityMatched; a stranger and an identity-off camera stay unnamed', async () => {
    const photos = [1, 2].map((n) => readFileSync(photo('bernadette', n)).toString('base64'));
    const enrolled = await gql(t.url, ENROL, { input: { displayName: 'Bernadette', photos } }, token);
    expect(enrolled.errors).toBeUndefined();
    const personId = enrolled.data!['enrollPerson'].id as string;

    const known = await camera('Entrance', true);
    const client = wsClient(t.wsUrl, token);
    const matched = nextResults<{ data: { identityMatched: Matched } }>(client, MATCHED, {}, 1);
    const knownFrames = nextResults<{ data: { frameResults: { tracks: unknown[] } } }>(client, FRAMES, { id: known }, 10_000);
    try {
      await matched.ready;
      await knownFrames.ready;
      const seenKnown = await knownFrames.atLeast(0);
      let named = false;
      const first = matched.promise.finally(() => (named = true));
      const sent = await upload(known, photo('bernadette', 3), () => named, 400);
      const waited = await Promise.race([first.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 10_000))]);
      if (!waited) {
        const withTracks = seenKnown.filter((f) => f.data.frameResults.tracks.length > 0).length;
        throw new Error(`no identityMatched after ${sent} frames (${seenKnown.length} results, ${withTracks} with a track); worker said:\n${worker.log()}`);
      }
      knownFrames.dispose();
      const [event] = (await first).map((r) => r.data.identityMatched);
      expect(event).toMatchObject({ cameraId: known, personId, displayName: 'Bernadette' });
      expect(event!.similarity).toBeGreaterThanOrEqual(0.6);
      const labels = await gql(t.url, LABELS, { id: known }, token);
      expect(labels.data!['liveTrackIdentities']).toEqual([{ trackId: event!.trackId, displayName: 'Bernadette' }]);
      console.log(`named after ${sent} uploaded frames: track ${event!.trackId}, similarity ${event!.similarity.toFixed(3)}`);

      // A stranger (never enrolled) on another identity camera, and the enrolled person on a
      // camera with identity off: frames are tracked, nobody is named.
      for (const [name, file, identity] of [
        ['Stranger door', photo('leonard', 4), true],
        ['No consent', photo('bernadette', 3), false],
      ] as const) {
        const id = await camera(name, identity);
        const frames = nextResults<{ data: { frameResults: { tracks: unknown[] } } }>(client, FRAMES, { id }, 1_000);
        await frames.ready;
        // 15 frames with a tracked person: three vote windows' worth. atLeast(0) hands back the
        // subscription's live buffer, read here as frames arrive.
        const seen = await frames.atLeast(0);
        const tracked = (): number => seen.filter((f) => f.data.frameResults.tracks.length > 0).length;
        await upload(id, file, () => tracked() >= 15, 400);
        frames.dispose();
        expect(tracked()).toBeGreaterThanOrEqual(15);
        await new Promise((r) => setTimeout(r, 1_500)); // matching runs after the frame went out
        expect((await gql(t.url, LABELS, { id }, token)).data!['liveTrackIdentities']).toEqual([]);
        await gql(t.url, STOP, { id }, token);
      }
      // Still exactly the one event: nobody else was named.
      expect((await matched.atLeast(1)).length).toBe(1);
    } finally {
      matched.dispose();
      await client.dispose();
      await gql(t.url, STOP, { id: known }, token);
    }
  }, 300_000);
});
