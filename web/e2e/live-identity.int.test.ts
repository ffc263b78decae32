/**
 * Names on live tracks, in Debian's Chromium against the real API server and its worker
 * (issue 13, "Dashboard e2e: enrol, then see the name on a track"). A person is enrolled through
 * the API from shared face photos 1-2; the webcam page uploads, from Chromium's fake capture
 * device, a clip composed from tfjs-models' pose_1.mp4 with a held-out photo (3) of the same
 * person pasted over the walker's head (no shared clip shows a recognisable face); the camera
 * page's live canvas then draws the person's name on the track. Screenshot:
 * artifacts/screenshots/live-identity-named-track.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, eventually, POSE_VIDEO, screenshot, watchConsole } from './support/e2e-stack';

jest.setTimeout(300_000);

const face = (n: number) => sharedDataPath(`faces/bernadette/bernadette${n}.png`);

/**
 * The fake webcam clip as Y4M, made by ffmpeg alone: the upper part of pose_1's frames (where
 * the walker is) scaled 2x, with `photo` (120 px, eyes at 40% of its height) over the head. The
 * walker's eyes stay within a few pixels of (284, 210) in pose_1.json, so the face is placed
 * there once: MoveNet finds the pasted face's eyes on every frame.
 */
function composedClip(photo: string, dir: string): string {
  const y4m = path.join(dir, 'face-walk.y4m');
  const [ex, ey] = [(284 - 140) * 2, (210 - 150) * 2];
  const filter = `[0:v]crop=300:300:140:150,scale=600:600[body];[1:v]scale=120:120[face];[body][face]overlay=${ex - 60}:${ey - 48}:shortest=1,fps=15,format=yuv420p`;
  const made = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-i', POSE_VIDEO, '-loop', '1', '-i', photo, '-filter_complex', filter, '-f', 'yuv4mpegpipe', y4m],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`ffmpeg could not write the fake webcam clip from ${POSE_VIDEO}: ${made.stderr}`);
  return y4m;
}

async function api<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`${query.slice(0, 40)}: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

describeWithInputs([...E2E_INPUTS, POSE_VIDEO, face(1), face(2), face(3)], 'the live identity e2e test')('names on live tracks (Chromium, real API and worker)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const dir = mkdtempSync(path.join(tmpdir(), 'trinetra-e2e-identity-'));
  const email = `identity-${Date.now().toString(36)}@e2e.trinetra.test`;
  const password = 'correct-horse-battery';

  beforeAll(async () => {
    const clip = composedClip(face(3), dir);
    stack = new E2eStack(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${clip}`]);
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['camera'], { origin: stack.dashboardUrl });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enrols a person through the API, then the live view draws their name on the track', async () => {
    const url = stack.api.graphqlUrl;
    const { signUp } = await api<{ signUp: { accessToken: string } }>(
      url,
      `mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }`,
      { input: { tenantName: 'Identity Store', email, password } },
    );
    const token = signUp.accessToken;
    const photos = [1, 2].map((n) => readFileSync(face(n)).toString('base64'));
    await api(url, `mutation($input: EnrollPersonInput!) { enrollPerson(input: $input) { id } }`, { input: { displayName: 'Bernadette', photos } }, token);
    // 2 frames/s: a loaded 2-core machine keeps up (MultiPose + FaceRes per frame), and the
    // vote needs 5 frames with the face.
    const { createCamera } = await api<{ createCamera: { id: string } }>(
      url,
      `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
      { input: { name: 'Front desk', sourceKind: 'UPLOAD', tier: 'STANDARD', targetFps: 2, identity: true } },
      token,
    );

    await page.goto(`${stack.dashboardUrl}/sign-in`);
    // The first page of a cold dashboard on a loaded machine may take a while.
    await page.getByLabel('Email').waitFor({ timeout: 90_000 });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/cameras');

    // The webcam page uploads the fake capture device's clip to the identity camera...
    await page.getByRole('link', { name: 'Webcam' }).click();
    await eventually(() => page.getByRole('button', { name: 'Start webcam' }).isEnabled(), Boolean, 20_000, 'the identity camera to pick');
    await page.getByRole('button', { name: 'Start webcam' }).click();

    // ...and the camera page's live view shows who it is.
    const view = await context.newPage();
    await view.goto(`${stack.dashboardUrl}/cameras/${createCamera.id}`);
    await view.getByText('identity on').waitFor();
    const canvas = '[data-testid=live-canvas]';
    const names = await eventually(() => view.locator(canvas).getAttribute('data-track-names'), (n) => (n ?? '').split('|').includes('Bernadette'), 180_000, 'the name on a track').catch(
      async (error: unknown) => {
        await screenshot(view, 'live-identity-failed');
        const tracks = await view.locator(canvas).getAttribute('data-track-count');
        const labels = await api(url, `query($id: ID!) { liveTrackIdentities(cameraId: $id) { trackId displayName } }`, { id: createCamera.id }, token);
        throw new Error(`${String(error)}; tracks drawn ${tracks}; liveTrackIdentities ${JSON.stringify(labels)}; server said:\n${stack.api.output().slice(-3_000)}`);
      },
    );
    expect(names).toContain('Bernadette');
    await screenshot(view, 'live-identity-named-track');
    await view.close();
    await page.getByRole('button', { name: 'Stop webcam' }).click();
    expect(consoleWatch.errors).toEqual([]);
  });
});
