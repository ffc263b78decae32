/**
 * The dashboard end to end, in Debian's Chromium against the real API server with a simulator
 * camera: sign up, session over reload, sign out and in, field errors from the server, live
 * tracks on the canvas, pipeline health that moves, the webcam page with Chromium's fake
 * capture device fed from a video file, and the disconnected banner with recovery.
 * Screenshots of each page go to artifacts/screenshots/.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { absentTestInput, describeWithInputs } from '@trinetra/shared/testing';
import {
  E2E_INPUTS, E2eStack, eventually, makeFakeCaptureVideo, numericAttribute, POSE_VIDEO, screenshot, STORE_VIDEO, watchConsole,
} from './support/e2e-stack';

jest.setTimeout(180_000);

// The webcam test feeds Chromium's fake camera from shared data; the rest need only E2E_INPUTS.
const webcamSkip = absentTestInput([POSE_VIDEO], 'the webcam e2e test');
const storeSkip = absentTestInput([STORE_VIDEO], 'the SCENE file camera e2e test');

describeWithInputs(E2E_INPUTS, 'the dashboard e2e tests')('dashboard (Chromium, real API)', () => {
  const fakeVideo = path.join(os.tmpdir(), `trinetra-e2e-pose-${process.pid}.y4m`);
  let stack: E2eStack;
  const email = `admin-${Date.now().toString(36)}@e2e.trinetra.test`;
  const password = 'correct-horse-battery';
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  let simulatorCameraUrl = '';

  beforeAll(async () => {
    if (!webcamSkip) makeFakeCaptureVideo(fakeVideo);
    stack = new E2eStack(webcamSkip ? [] : [
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${fakeVideo}`,
    ]);
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['camera'], { origin: stack.dashboardUrl });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
    rmSync(fakeVideo, { force: true });
  });

  it('signs up a new tenant and lands on the empty camera list', async () => {
    await page.goto(`${stack.dashboardUrl}/`);
    await page.waitForURL('**/sign-in**');
    await screenshot(page, '01-sign-in');
    await page.getByRole('link', { name: 'Create a tenant' }).click();
    await page.getByLabel('Organisation name').fill('E2E Store');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await screenshot(page, '02-sign-up');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL('**/cameras');
    await page.getByTestId('cameras-empty').waitFor();
    await page.getByTestId('current-user').getByText(email).waitFor();
    await screenshot(page, '03-cameras-empty');
  });

  it('keeps the session over a reload, signs out and signs in again', async () => {
    await page.reload();
    await page.getByTestId('cameras-empty').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('wrong-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.form__error').waitFor();
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/cameras');
  });

  it("shows the server's validation error next to the field", async () => {
    await page.getByRole('link', { name: 'Add camera' }).click();
    await page.getByLabel('Name').fill('Street');
    await page.getByLabel('Source kind').selectOption('NETWORK');
    await page.getByRole('button', { name: 'Add camera' }).click();
    const sourceUrlField = page.locator('.field', { has: page.getByLabel('Source URL') });
    await sourceUrlField.locator('.field__error').waitFor();
    expect(await page.getByLabel('Source URL').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '04-camera-form-field-error');
  });

  it('creates a simulator camera, starts it and draws its tracks on the live canvas', async () => {
    await page.getByLabel('Name').fill('Entrance simulator');
    await page.getByLabel('Source kind').selectOption('SIMULATOR');
    await page.getByLabel('Source URL').fill('');
    await page.getByLabel('Target fps').fill('10');
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    simulatorCameraUrl = page.url();
    await page.getByRole('button', { name: 'Start' }).click();
    const canvas = '[data-testid=live-canvas]';
    await eventually(() => numericAttribute(page, canvas, 'data-track-count'), (n) => n > 0, 60_000, 'tracks drawn on the live canvas');
    const drawnBefore = await numericAttribute(page, canvas, 'data-frames-drawn');
    const resultsBefore = await numericAttribute(page, canvas, 'data-results-received');
    await page.waitForTimeout(1000);
    const drawnAfter = await numericAttribute(page, canvas, 'data-frames-drawn');
    const resultsAfter = await numericAttribute(page, canvas, 'data-results-received');
    // Display rate (rAF) outpaces the result rate: interpolated frames are drawn between results.
    expect(drawnAfter - drawnBefore).toBeGreaterThan(resultsAfter - resultsBefore);
    expect(await numericAttribute(page, canvas, 'data-keypoint-count')).toBeGreaterThan(0);
    // Synthetic people are labelled as such, and the results say they are the simulator's ground truth.
    await page.getByRole('heading', { name: 'Entrance simulator' }).getByTestId('simulated-badge').waitFor();
    await eventually(() => page.getByTestId('live-model').innerText(), (t) => t.startsWith('simulated'), 10_000, 'the provenance of the latest result');
    await screenshot(page, '05-live-view');

    await page.getByRole('link', { name: 'Cameras' }).click();
    const row = page.locator('tr', { hasText: 'Entrance simulator' });
    await row.getByTestId('camera-status').waitFor();
    await row.getByTestId('simulated-badge').waitFor();
    await screenshot(page, '06-cameras-list');
  });

  it('shows pipeline health numbers that change', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Health' }).click();
    const card = '[data-testid=camera-health]';
    await page.locator(card).first().waitFor({ timeout: 30_000 });
    const first = await eventually(() => numericAttribute(page, card, 'data-admitted'), (n) => n > 0, 30_000, 'admitted frames');
    await eventually(() => numericAttribute(page, card, 'data-admitted'), (n) => n > first, 15_000, 'admitted frames to grow');
    expect(await page.getByTestId('breaker-state').getAttribute('data-state')).toBeTruthy();
    await screenshot(page, '07-pipeline-health');
  });

  (webcamSkip ? it.skip : it)('uploads webcam frames from the fake capture device and shows round trip and skeleton', async () => {
    await page.getByRole('link', { name: 'Webcam' }).click();
    await page.getByRole('button', { name: 'New webcam camera' }).click();
    await page.getByRole('button', { name: 'Start webcam' }).waitFor();
    await eventually(() => page.getByRole('button', { name: 'Start webcam' }).isEnabled(), Boolean, 10_000, 'a webcam camera');
    await page.getByRole('button', { name: 'Start webcam' }).click();
    const stats = '[data-testid=webcam-stats]';
    await eventually(() => numericAttribute(page, stats, 'data-sent'), (n) => n > 5, 30_000, 'frames sent to /ingest');
    await eventually(() => page.getByTestId('webcam-rtt').innerText(), (t) => t.endsWith('ms'), 60_000, 'a measured round trip');
    await eventually(() => numericAttribute(page, '[data-testid=live-canvas]', 'data-track-count'), (n) => n > 0, 60_000, 'a skeleton for the person in the video');
    await screenshot(page, '08-webcam');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, '09-webcam-phone');
    await page.getByRole('button', { name: 'Stop webcam' }).click();
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  (storeSkip ? it.skip : it)('finds the people of a store video through a SCENE file camera and draws their boxes', async () => {
    await page.goto(`${stack.dashboardUrl}/cameras/new`);
    await page.getByLabel('Name').fill('Shop floor');
    await page.getByLabel('Source kind').selectOption('FILE');
    await page.getByLabel('Source URL').fill(STORE_VIDEO);
    await page.getByLabel('Perception').selectOption('SCENE');
    await page.getByLabel('Target fps').fill('10');
    await screenshot(page, '09b-camera-form-scene');
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId('simulated-badge').count()).toBe(0);
    await page.getByRole('button', { name: 'Start' }).click();
    const canvas = '[data-testid=live-canvas]';
    try {
      await eventually(() => page.getByTestId('live-model').innerText(), (t) => t.startsWith('onnx'), 120_000, 'a model named as the provenance');
      await eventually(() => numericAttribute(page, canvas, 'data-track-count'), (n) => n >= 5, 60_000, 'at least 5 people drawn on the live canvas');
    } finally {
      await screenshot(page, '09c-live-view-scene');
    }
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('button', { name: 'Start' }).waitFor();
  });

  it('shows the disconnected banner while the server is down and recovers when it is back', async () => {
    await page.goto(`${stack.dashboardUrl}/cameras`);
    await page.getByTestId('camera-table').waitFor();
    const banner = page.getByTestId('disconnected-banner');
    await page.waitForTimeout(1500);
    expect(await banner.count()).toBe(0);
    consoleWatch.pause();
    await stack.api.stop();
    await banner.waitFor({ timeout: 20_000 });
    expect(await banner.innerText()).toMatch(/Last update at .+ Reconnecting/);
    await screenshot(page, '10-disconnected-banner');

    await stack.api.start();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await page.reload();
    await page.getByTestId('camera-table').waitFor();
    await screenshot(page, '11-reconnected');
    consoleWatch.resume();
  });

  it('streams the simulator camera again after the server restarted', async () => {
    await page.goto(simulatorCameraUrl);
    const canvas = '[data-testid=live-canvas]';
    await eventually(() => numericAttribute(page, canvas, 'data-results-received'), (n) => n > 0, 60_000, 'results after the restart');
  });

  it('edits and removes the camera', async () => {
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByLabel('Name').fill('Entrance (renamed)');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Entrance (renamed)' }).waitFor();
    await page.getByRole('link', { name: 'Cameras' }).click();
    const row = page.locator('tr', { hasText: 'Entrance (renamed)' });
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.waitFor({ state: 'detached' });
  });

  it('logged no console errors outside the outage', () => {
    expect(consoleWatch.errors).toEqual([]);
  });
});
