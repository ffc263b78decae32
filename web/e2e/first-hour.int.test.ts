/**
 * The first hour of a new tenant, as a person goes through it (issue 18), in Debian's Chromium
 * against the real API server, workers and models: sign up; add a FILE camera on a sample video
 * and see its people tracked; add a camera whose file is gone and read why it failed; import a
 * manifest of videos on the Batch jobs page and download an output; create an API key and call
 * the API with it from outside the browser. One screenshot per step:
 * artifacts/screenshots/first-hour-NN-*.png.
 *
 * The steps run in order and share the tenant: a failed step fails the ones after it that need
 * what it made (each says what it needs).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, eventually, numericAttribute, POSE_VIDEO, screenshot, STORE_VIDEO, watchConsole } from './support/e2e-stack';

jest.setTimeout(300_000);

const PASSWORD = 'correct-horse-battery';

async function gql<T>(url: string, query: string, variables: Record<string, unknown>, bearer?: string): Promise<{ status: number; data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

describeWithInputs([...E2E_INPUTS, STORE_VIDEO, POSE_VIDEO], 'the first-hour walkthrough')('the first hour of a new tenant (Chromium, real API)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const email = `first-hour-${Date.now().toString(36)}@e2e.trinetra.test`;
  let tenantId = '';
  let apiKey = '';
  let doneJobId = '';

  beforeAll(async () => {
    stack = new E2eStack();
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.dashboardUrl });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('01: signs up and is offered three ways to start', async () => {
    await page.goto(`${stack.dashboardUrl}/`);
    await page.waitForURL('**/sign-in**');
    await page.getByRole('link', { name: 'Create a tenant' }).click();
    await page.getByLabel('Organisation name').fill('First Hour Gym');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL('**/cameras');
    const panel = page.getByTestId('cameras-empty');
    await panel.getByRole('button', { name: 'Add a demo camera' }).waitFor();
    await panel.getByRole('link', { name: 'Use your webcam' }).waitFor();
    await panel.getByRole('link', { name: 'Import videos' }).waitFor();
    await screenshot(page, 'first-hour-01-signed-up');

    // The tenant's own media folder (<DATA_DIR>/media/<tenantId>/) is used by step 03.
    const signIn = await gql<{ signIn: { accessToken: string } }>(stack.api.graphqlUrl, 'mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }', { i: { email, password: PASSWORD } });
    const me = await gql<{ me: { tenant: { id: string } } }>(stack.api.graphqlUrl, '{ me { tenant { id } } }', {}, signIn.data!.signIn.accessToken);
    tenantId = me.data!.me.tenant.id;
  });

  it('02: adds a FILE camera on a sample video, starts it and sees people tracked', async () => {
    await page.getByRole('link', { name: 'Add camera' }).first().click();
    await page.getByLabel('Name').fill('Shop floor (sample video)');
    await page.getByLabel('Source kind').selectOption('FILE');
    await page.getByLabel('Source URL').fill(STORE_VIDEO);
    // Billing never drops a frame: on a busy machine the tracker still sees every frame in order, only later.
    await page.getByLabel('Tier').selectOption('BILLING');
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Start' }).click();
    const canvas = '[data-testid=live-canvas]';
    try {
      await eventually(() => numericAttribute(page, canvas, 'data-track-count'), (n) => n >= 1, 180_000, 'people tracked on the live canvas');
      await page.locator('.badge[data-status=LIVE]').getByText('Running').waitFor();
    } finally {
      await screenshot(page, 'first-hour-02-file-camera-tracks');
    }
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('button', { name: 'Start' }).waitFor();
  });

  it('03: a camera whose source is bad is refused or fails, and says why', async () => {
    // A path that does not exist is refused when the camera is added, under the field.
    await page.goto(`${stack.dashboardUrl}/cameras/new`);
    await page.getByLabel('Name').fill('Typo camera');
    await page.getByLabel('Source kind').selectOption('FILE');
    await page.getByLabel('Source URL').fill(path.join(path.dirname(STORE_VIDEO), 'no-such-video.mp4'));
    await page.getByRole('button', { name: 'Add camera' }).click();
    const sourceField = page.locator('.field', { has: page.getByLabel('Source URL') });
    await sourceField.locator('.field__error').waitFor();
    expect(await sourceField.locator('.field__error').innerText()).toMatch(/not found|no such|does not exist/i);
    await screenshot(page, 'first-hour-03a-bad-path-refused');

    // A file that was there when the camera was added and is gone when it starts: the camera fails and shows the reason.
    const mediaDir = stack.tempPath(path.join('data', 'media', tenantId));
    mkdirSync(mediaDir, { recursive: true });
    const clip = path.join(mediaDir, 'moved-away.mp4');
    copyFileSync(POSE_VIDEO, clip);
    await page.getByLabel('Name').fill('Moved file');
    await page.getByLabel('Source URL').fill(clip);
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    rmSync(clip);
    await page.getByRole('button', { name: 'Start' }).click();
    const reason = page.getByTestId('camera-status-reason');
    try {
      await reason.waitFor({ timeout: 30_000 });
      expect(await reason.getAttribute('data-reason')).toBe('SOURCE_NOT_FOUND');
      expect(await reason.innerText()).toMatch(/not found/i);
      await page.locator('.badge[data-status=FAILED]').getByText('Failed').waitFor();
      // No endless "waiting": the page says the camera is not running.
      await page.getByRole('button', { name: 'Start' }).waitFor();
    } finally {
      await screenshot(page, 'first-hour-03b-failed-with-reason');
    }
  });

  it('04: imports a manifest on the Batch jobs page and sees each video processed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Batch jobs' }).click();
    await page.waitForURL('**/jobs');
    const manifest = stack.tempPath('first-hour-manifest.csv');
    const missing = path.join(path.dirname(POSE_VIDEO), 'not-there.mp4');
    writeFileSync(manifest, `local_path,label\n${POSE_VIDEO},warm-up\n${missing},missing\n`);
    await page.locator('input[type=file]').setInputFiles(manifest);
    await page.getByRole('button', { name: /^Import/ }).click();
    const rows = page.getByTestId('video-job');
    await eventually(() => rows.count(), (n) => n >= 2, 30_000, 'both manifest rows listed');
    const done = page.locator('[data-testid=video-job][data-status=DONE]');
    try {
      await done.first().waitFor({ timeout: 180_000 });
      await page.locator('[data-testid=video-job][data-status=MISSING_FILE]').waitFor();
    } finally {
      await screenshot(page, 'first-hour-04-batch-jobs');
    }
    doneJobId = (await done.first().getAttribute('data-job-id')) ?? '';
    expect(doneJobId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('05: downloads the output of a finished video from the page', async () => {
    const row = page.locator(`[data-testid=video-job][data-job-id="${doneJobId}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /Download/ }).click()]);
    const saved = stack.tempPath('first-hour-output.jsonl.gz');
    await download.saveAs(saved);
    const lines = gunzipSync(readFileSync(saved)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // Format v2: a header first (docs/batch-output.md), then frames, then a per-video summary.
    expect(lines[0]).toMatchObject({ version: 2 });
    expect(lines.length).toBeGreaterThan(2);
    expect(download.suggestedFilename()).toMatch(/\.jsonl\.gz$/);
    await screenshot(page, 'first-hour-05-downloaded');
  });

  it('06: creates an API key in the dashboard, shown once', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('Key name').fill('my script');
    await page.getByRole('checkbox', { name: /^ingest/ }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    apiKey = (await page.getByTestId('api-key-secret-value').textContent()) ?? '';
    expect(apiKey).toMatch(/^trk_/);
    await screenshot(page, 'first-hour-06-api-key');
    await page.getByRole('button', { name: 'I stored it' }).click();
  });

  it('07: calls the API with the key from outside the browser, and the page shows the key as used', async () => {
    const cameras = await gql<{ cameras: { edges: Array<{ node: { name: string; status: string; statusReason: string | null } }> } }>(
      stack.api.graphqlUrl, '{ cameras(first: 10) { edges { node { name status statusReason } } } }', {}, apiKey);
    expect(cameras.status).toBe(200);
    expect(cameras.errors).toBeUndefined();
    const byName = Object.fromEntries(cameras.data!.cameras.edges.map((e) => [e.node.name, e.node]));
    expect(Object.keys(byName).sort()).toEqual(['Moved file', 'Shop floor (sample video)']);
    expect(byName['Moved file']).toMatchObject({ status: 'FAILED', statusReason: 'SOURCE_NOT_FOUND' });

    await eventually(
      async () => {
        await page.reload();
        return page.getByTestId('api-key-last-used').first().getAttribute('data-last-used');
      },
      (at) => Boolean(at),
      20_000,
      'the key to show as used',
    );
    await screenshot(page, 'first-hour-07-api-key-used');
  });

  it('08: finds the output link with the key and downloads the file through the API, as a script would', async () => {
    const jobs = await gql<{ videoJobs: { edges: Array<{ node: { id: string; status: string; outputUrl: string | null } }> } }>(
      stack.api.graphqlUrl, '{ videoJobs(first: 10) { edges { node { id status outputUrl } } } }', {}, apiKey);
    expect(jobs.errors).toBeUndefined();
    const job = jobs.data!.videoJobs.edges.map((e) => e.node).find((j) => j.status === 'DONE');
    expect(job?.outputUrl).toBeTruthy();
    const apiOrigin = new URL(stack.api.graphqlUrl).origin;
    // With the key (the CLI's way), and through the signed link alone (the dashboard's way).
    const withKey = await fetch(`${apiOrigin}/outputs/${job!.id}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(withKey.status).toBe(200);
    const first = gunzipSync(Buffer.from(await withKey.arrayBuffer())).toString('utf8').split('\n')[0]!;
    expect(JSON.parse(first)).toMatchObject({ version: 2 });
    const signed = await fetch(new URL(job!.outputUrl!, apiOrigin));
    expect(signed.status).toBe(200);
  });

  it('logged no console errors on the way', () => {
    expect(consoleWatch.errors).toEqual([]);
  });
});
