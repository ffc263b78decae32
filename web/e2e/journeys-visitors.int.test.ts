/**
 * A never-enrolled visitor's move between two cameras in the dashboard's all-cameras Sankey
 * (issue 14), in Debian's Chromium against the real API server and its worker (MultiPose +
 * FaceRes). Two identity cameras, each with one AREA zone over the whole view, are set up through
 * the API; one stranger (a shared face photo nobody enrolled, pasted over pose_1's walker:
 * server/test/support/face-clip.ts) walks past the door camera, then the till camera, streamed
 * over the API server's ingest socket (server/test/support/face-pass.ts, shared with
 * server/test/live-identity-visits.int.test.ts). Identity gives the unknown track an anonymous
 * visit id on both cameras, so the Sankey's "All cameras" view shows a link from the door's zone
 * to the till's zone, and no enrolled person's name appears.
 * Screenshot: artifacts/screenshots/analytics-06-visitor-across-cameras.png.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import type { BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { describeWithInputs } from '@trinetra/shared/testing';
import { composedFrames, decodeFaceClip, emptyFrame, FACE_CLIP, FACE_CLIP_KEYPOINTS, facePhoto } from '../../server/test/support/face-clip';
import { type FrameSeen, streamFacePass } from '../../server/test/support/face-pass';
import { api, E2E_INPUTS, E2eStack, eventually, numericAttribute, REPO_ROOT, screenshot, watchConsole } from './support/e2e-stack';

jest.setTimeout(300_000);

const ENROLLED = [facePhoto('bernadette', 1), facePhoto('bernadette', 2)];
const STRANGER = facePhoto('leonard', 4);
const MODELS = ['movenet-multipose.onnx', 'faceres.onnx'].map((m) => path.join(REPO_ROOT, '.trinetra/models', m));
const WHOLE_VIEW = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
];
const FRAMES = `subscription($id: ID!) { frameResults(cameraId: $id) { seq tracks { trackId } } }`;

/** The camera's frame results as they come (a `frameResults` subscription over graphql-ws). */
function watchFrameResults(wsUrl: string, token: string, cameraId: string): { seen: FrameSeen[]; errors: string[]; dispose(): Promise<void> } {
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
  const seen: FrameSeen[] = [];
  const errors: string[] = [];
  const stop = client.subscribe<{ frameResults: { seq: number; tracks: unknown[] } }>(
    { query: FRAMES, variables: { id: cameraId } },
    {
      next: (r) => {
        if (r.data) seen.push({ seq: r.data.frameResults.seq, tracks: r.data.frameResults.tracks.length });
      },
      error: (e) => errors.push(JSON.stringify(e, Object.getOwnPropertyNames(e as object))),
      complete: () => undefined,
    },
  );
  return {
    seen,
    errors,
    dispose: async () => {
      stop();
      await client.dispose();
    },
  };
}

describeWithInputs([...E2E_INPUTS, ...ENROLLED, STRANGER, FACE_CLIP, FACE_CLIP_KEYPOINTS, ...MODELS], 'the visitor journeys e2e test')(
  'an anonymous visitor across cameras in the journeys Sankey (Chromium, real API and worker)',
  () => {
    let stack: E2eStack;
    let context: BrowserContext;
    let page: Page;
    let consoleWatch: ReturnType<typeof watchConsole>;
    const dir = mkdtempSync(path.join(tmpdir(), 'trinetra-e2e-visitors-'));
    const email = `visitors-${Date.now().toString(36)}@e2e.trinetra.test`;
    const password = 'correct-horse-battery';

    beforeAll(async () => {
      stack = new E2eStack();
      await stack.start();
      context = await stack.browser.newContext({ viewport: { width: 1280, height: 1000 } });
      page = await context.newPage();
      consoleWatch = watchConsole(page);
    });

    afterAll(async () => {
      await context?.close().catch(() => undefined);
      await stack?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows a never-enrolled visitor going from the door camera\'s zone to the till camera\'s zone, with no name', async () => {
      const url = stack.api.graphqlUrl;
      const { signUp } = await api<{ signUp: { accessToken: string } }>(
        url,
        `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }`,
        { input: { tenantName: 'Visitor Store', email, password } },
      );
      const token = signUp.accessToken;
      // Someone is enrolled, so a name could show; the visitor is somebody else.
      const photos = ENROLLED.map((p) => readFileSync(p).toString('base64'));
      await api(url, `mutation($input: EnrollPersonInput!) { enrollPerson(input: $input) { id } }`, { input: { displayName: 'Bernadette', photos } }, token);
      const camera = async (name: string, zoneName: string): Promise<string> => {
        const { createCamera } = await api<{ createCamera: { id: string } }>(
          url,
          `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
          { input: { name, sourceKind: 'UPLOAD', tier: 'LIVE', targetFps: 10, identity: true } },
          token,
        );
        await api(url, `mutation($input: UpsertZoneInput!) { upsertZone(input: $input) { id } }`, { input: { cameraId: createCamera.id, name: zoneName, kind: 'AREA', polygon: WHOLE_VIEW } }, token);
        await api(url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: createCamera.id }, token);
        return createCamera.id;
      };
      const door = await camera('Door camera', 'Doorway');
      const till = await camera('Till camera', 'Till queue');

      const frames = await composedFrames(decodeFaceClip(dir), STRANGER);
      const empty = await emptyFrame();
      const wsUrl = url.replace(/^http/, 'ws');
      for (const cameraId of [door, till]) {
        const results = watchFrameResults(wsUrl, token, cameraId);
        try {
          await streamFacePass({
            ingestUrl: wsUrl.replace('/graphql', '/ingest'),
            token,
            cameraId,
            frames,
            empty,
            seen: () => results.seen,
            explain: () => `subscription errors ${JSON.stringify(results.errors)}; server said:\n${stack.api.output().slice(-3_000)}`,
          });
        } finally {
          await results.dispose();
        }
      }

      await page.goto(`${stack.dashboardUrl}/sign-in`);
      // The first page of a cold dashboard on a loaded machine may take a while.
      await page.getByLabel('Email').waitFor({ timeout: 90_000 });
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/cameras');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
      // The camera list has a 'Door camera' link too: pick it on the analytics page.
      await page.waitForURL('**/analytics');
      await page.getByRole('link', { name: 'Door camera' }).click();
      await page.waitForURL(`**/analytics/${door}`);
      const failed = async (error: unknown): Promise<never> => {
        await screenshot(page, 'analytics-06-visitor-across-cameras-failed');
        throw error;
      };
      await page.locator('[data-testid=zone-row][data-zone-name="Doorway"]').waitFor().catch(failed);
      // One zone on this camera: its own Sankey has no moves; the all-cameras one has the visitor's.
      await page.getByLabel('Journeys of').selectOption('all').catch(failed);
      const all = '[data-testid=journeys-all]';
      // Analytics writes visits each second and the page refreshes every 5 s.
      await eventually(() => numericAttribute(page, all, 'data-cross-camera-links'), (n) => n >= 1, 60_000, 'a link between the cameras in the all-cameras Sankey').catch(failed);
      const row = page.getByTestId('journey-links').locator('tbody tr').filter({ hasText: 'Door camera · Doorway' });
      await row.waitFor();
      expect(await row.locator('td').allInnerTexts()).toEqual(['Door camera · Doorway', 'Till camera · Till queue', '1', expect.stringMatching(/^\d+\.\d s$/)]);
      await page.locator(`${all} .recharts-sankey-link`).first().waitFor({ state: 'attached' });
      const nodeLabels = await page.locator(`${all} text`).allTextContents();
      // Left column: the zone left; right column: the zone entered next (journey-graph.ts); "(n)" people.
      expect(nodeLabels).toEqual(['Door camera · Doorway (1)', 'Till camera · Till queue (next) (1)']);
      // An anonymous visitor: nobody's name anywhere in the diagram or its table.
      const shown = await page.getByTestId('journeys-all').innerText();
      expect(shown).not.toMatch(/Bernadette|Leonard/i);
      await screenshot(page, 'analytics-06-visitor-across-cameras');
      for (const id of [door, till]) await api(url, `mutation($id: ID!) { stopCamera(id: $id) { id } }`, { id }, token);
      expect(consoleWatch.errors).toEqual([]);
    });
  },
);
