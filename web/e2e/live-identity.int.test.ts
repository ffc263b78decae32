/**
 * Names on live tracks, in Debian's Chromium against the real API server and its worker
 * (issue 13, "Dashboard e2e: enrol, then see the name on a track"). A person is enrolled through
 * the API from shared face photos 1-2; the webcam page uploads, from Chromium's fake capture
 * device, a clip composed from tfjs-models' pose_1.mp4 with a held-out photo (3) of the same
 * person pasted over the walker's head (no shared clip shows a recognisable face); the camera
 * page's live canvas then draws the person's name on the track.
 *
 * Then a weak match, produced for real: a second camera whose threshold offset (the admin's
 * per-camera setting) puts the match threshold just above the similarity the first camera
 * measured for the same clip, so the same frames land in the review band. The live view marks
 * the track "? unconfirmed" with no name, both from the subscription (page open before) and from
 * `liveWeakMatches` (page opened after); the People page explains what to do,
 * and its Add photo gives the person one more face vector.
 * Screenshots: artifacts/screenshots/live-identity-named-track.png,
 * live-identity-weak-match.png, people-weak-match-hint.png.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { api, E2E_INPUTS, E2eStack, eventually, POSE_VIDEO, screenshot, watchConsole } from './support/e2e-stack';

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

describeWithInputs([...E2E_INPUTS, POSE_VIDEO, face(1), face(2), face(3)], 'the live identity e2e test')('names on live tracks (Chromium, real API and worker)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const dir = mkdtempSync(path.join(tmpdir(), 'trinetra-e2e-identity-'));
  const email = `identity-${Date.now().toString(36)}@e2e.trinetra.test`;
  const password = 'correct-horse-battery';
  // Set by the first test, read by the second (same tenant, same running stack).
  let token = '';
  let frontDesk = '';

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
    token = signUp.accessToken;
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
    frontDesk = createCamera.id;
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

  it('marks a weakly matched track "? unconfirmed" with no name (live and for a page opened late), and the People page says what to do (Add photo)', async () => {
    expect(token).not.toBe('');
    const url = stack.api.graphqlUrl;
    // What the accept path measured for this clip: the mean similarity of the frames that named the track.
    const { liveTrackIdentities } = await api<{ liveTrackIdentities: { similarity: number }[] }>(
      url, `query($id: ID!) { liveTrackIdentities(cameraId: $id) { similarity } }`, { id: frontDesk }, token,
    );
    const measured = liveTrackIdentities[0]?.similarity ?? Number.NaN;
    const { identityHealth } = await api<{ identityHealth: { acceptThreshold: number; reviewThreshold: number } }>(
      url, `{ identityHealth { acceptThreshold reviewThreshold } }`, {}, token,
    );
    // Centre this camera's review band on the measured similarity (offset capped at +-0.2 by the server).
    const offset = Math.round(Math.min(0.2, measured - (identityHealth.acceptThreshold + identityHealth.reviewThreshold) / 2) * 1000) / 1000;
    const band = [identityHealth.reviewThreshold + offset, identityHealth.acceptThreshold + offset];
    console.log(`weak-match camera: measured similarity ${measured.toFixed(3)}, offset ${offset}, review band ${band.map((b) => b.toFixed(3)).join('-')}`);
    expect(measured).toBeLessThan(band[1]!);
    const { createCamera } = await api<{ createCamera: { id: string } }>(
      url,
      `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
      { input: { name: 'Back door', sourceKind: 'UPLOAD', tier: 'STANDARD', targetFps: 2, identity: true } },
      token,
    );
    const backDoor = createCamera.id;
    await api(url, `mutation($id: ID!, $o: Float!) { setCameraThresholdOffset(cameraId: $id, thresholdOffset: $o) { thresholdOffset } }`, { id: backDoor, o: offset }, token);

    // The live view is open before the webcam starts: the badge comes from identityWeakMatch.
    const view = await context.newPage();
    const viewConsole = watchConsole(view);
    await view.goto(`${stack.dashboardUrl}/cameras/${backDoor}`);
    await view.getByText('identity on').waitFor();

    await page.goto(`${stack.dashboardUrl}/webcam`);
    await page.getByLabel('Upload to').selectOption({ label: 'Back door' });
    await eventually(() => page.getByRole('button', { name: 'Start webcam' }).isEnabled(), Boolean, 20_000, 'the weak-match camera to pick');
    await page.getByRole('button', { name: 'Start webcam' }).click();

    const canvas = '[data-testid=live-canvas]';
    const weakIds = await eventually(() => view.locator(canvas).getAttribute('data-weak-tracks'), (w) => (w ?? '') !== '', 180_000, 'the weak-match badge on a track').catch(
      async (error: unknown) => {
        await screenshot(view, 'live-identity-weak-failed');
        const names = await view.locator(canvas).getAttribute('data-track-names');
        const weak = await api(url, `query($id: ID!) { liveWeakMatches(cameraId: $id) { trackId similarity } }`, { id: backDoor }, token);
        throw new Error(`${String(error)}; names drawn ${JSON.stringify(names)}; liveWeakMatches ${JSON.stringify(weak)}; server said:\n${stack.api.output().slice(-3_000)}`);
      },
    );
    // The webcam page started the camera from another tab: this page, open since before, offers
    // Stop, not Start (its desired status is read again with the status change).
    await view.getByRole('button', { name: 'Stop', exact: true }).waitFor({ timeout: 15_000 });
    expect(await view.getByRole('button', { name: 'Start', exact: true }).count()).toBe(0);
    // The badge, never a name: not on the canvas, not in the page, not in what the API answers.
    expect(await view.locator(canvas).getAttribute('data-track-names')).toBe('');
    const badge = view.getByTestId('weak-match-badge').first();
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/^#\d+ \? unconfirmed 0\.\d\d$/);
    expect(weakIds!.split('|')).toContain(await badge.getAttribute('data-track-id'));
    // The explanation is the badge's tooltip (hidden until hover or focus, so found by its role attribute).
    await expect(view.getByTestId('weak-match-legend').locator('[role=tooltip]').first().textContent()).resolves.toContain('below the match threshold: not named');
    expect(await view.locator('body').innerText()).not.toContain('Bernadette');
    const { liveWeakMatches } = await api<{ liveWeakMatches: { trackId: number; similarity: number }[] }>(
      url, `query($id: ID!) { liveWeakMatches(cameraId: $id) { trackId similarity } }`, { id: backDoor }, token,
    );
    expect(liveWeakMatches.length).toBeGreaterThan(0);
    for (const w of liveWeakMatches) {
      expect(w.similarity).toBeGreaterThanOrEqual(band[0]! - 1e-6);
      expect(w.similarity).toBeLessThan(band[1]!);
    }

    // A page opened after the event still shows it (liveWeakMatches). The screenshot is of this
    // page, with the badge's explanation shown as on hover.
    const late = await context.newPage();
    const lateConsole = watchConsole(late);
    await late.goto(`${stack.dashboardUrl}/cameras/${backDoor}`);
    await eventually(() => late.locator(canvas).getAttribute('data-weak-tracks'), (w) => (w ?? '') !== '', 60_000, 'the weak-match badge on a page opened late');
    expect(await late.locator(canvas).getAttribute('data-track-names')).toBe('');
    await late.getByTestId('weak-match-badge').first().hover();
    await late.getByTestId('weak-match-legend').getByRole('tooltip').first().waitFor({ state: 'visible' });
    await screenshot(late, 'live-identity-weak-match');
    await late.close();
    await view.close();
    await page.getByRole('button', { name: 'Stop webcam' }).click();

    // The People page counts weak matches and says what to do, naming nobody.
    await page.getByRole('link', { name: 'People' }).click();
    const hint = page.getByTestId('weak-match-hint');
    await hint.waitFor();
    expect(Number(await page.getByTestId('health-weak-matches').textContent())).toBeGreaterThan(0);
    await expect(hint.textContent()).resolves.toMatch(/clearer, front-facing photo[\s\S]*threshold offset/);
    await screenshot(page, 'people-weak-match-hint');
    // What the hint advises: one more photo of the person, from the People page.
    const row = page.getByTestId('person').filter({ hasText: 'Bernadette' });
    await expect(row.getByTestId('person-vectors').textContent()).resolves.toBe('2');
    await row.getByTestId('person-add-photo').setInputFiles(face(3));
    await eventually(() => row.getByTestId('person-vectors').textContent(), (n) => n === '3', 60_000, 'the added photo to count');
    expect([...consoleWatch.errors, ...viewConsole.errors, ...lateConsole.errors]).toEqual([]);
  });
});
