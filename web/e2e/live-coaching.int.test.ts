/**
 * Live coaching on the webcam page end to end, in Debian's Chromium against the real API
 * server (its gpu-worker pool with the ONNX pose model): Chromium's fake capture device plays
 * tfjs-models' pose_squats.mp4 (one woman squatting, 13 s, looped by Chromium) as the webcam;
 * the page uploads its frames to /ingest for an UPLOAD camera, and the live coaching panel
 * starts a SQUAT camera-window analysis on that camera. Reps arrive through `metricUpdated`
 * while the window runs (the counter and the last rep's knee angle), then `analysisCompleted`
 * ends it. Screenshots: artifacts/screenshots/webcam-coaching-01-live.png and -02-done.png.
 *
 * Each pass of the clip holds 2 complete reps (counted by hand, see
 * modules/analytics/motion/sports/squat/squat.real-clip.test.ts); a 60 s window sees the clip
 * about four times, so at least 2 reps is what any pass delivers, even on a loaded machine
 * where the pipeline drops frames.
 */
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, eventually, makeFakeCaptureVideo, numericAttribute, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(300_000);

const SQUAT_VIDEO = sharedDataPath('video/tfjs-models/pose_squats.mp4');

describeWithInputs([...E2E_INPUTS, SQUAT_VIDEO], 'the live coaching e2e test')('live coaching on the webcam page (Chromium fake camera, real API, ONNX)', () => {
  const fakeVideo = path.join(os.tmpdir(), `trinetra-e2e-squats-${process.pid}.y4m`);
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const email = `coach-live-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    // Portrait 720x1280 at 5 fps: halved, and repeated to 10 fps so it plays in real time at the camera's rate.
    makeFakeCaptureVideo(fakeVideo, SQUAT_VIDEO, 'scale=360:640,fps=10');
    stack = new E2eStack(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${fakeVideo}`]);
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 1100 } });
    await context.grantPermissions(['camera'], { origin: stack.dashboardUrl });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
    rmSync(fakeVideo, { force: true });
  });

  it('counts the squats of the webcam as they happen and ends the window with the final count', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'Live Coaching Club', email);
    await page.getByRole('link', { name: 'Webcam' }).click();
    await page.getByRole('button', { name: 'New webcam camera' }).click();
    await eventually(() => page.getByRole('button', { name: 'Start webcam' }).isEnabled(), Boolean, 10_000, 'a webcam camera');
    await page.getByRole('button', { name: 'Start webcam' }).click();
    await eventually(() => numericAttribute(page, '[data-testid=live-canvas]', 'data-track-count'), (n) => n > 0, 90_000, 'a skeleton for the woman in the video');

    const panel = page.getByTestId('live-coaching');
    await panel.getByTestId('coaching-sport').selectOption('SQUAT');
    await panel.getByTestId('coaching-window').selectOption('60');
    await panel.getByLabel('Athlete height (cm)').fill('165');
    await panel.getByRole('button', { name: 'Start live analysis' }).click();
    await page.locator('[data-testid=live-coaching][data-status=LIVE]').waitFor();

    // Reps appear while the window runs (metricUpdated), with the knee angle at the bottom.
    await eventually(() => numericAttribute(page, '[data-testid=live-coaching]', 'data-count'), (n) => n >= 1, 70_000, 'a first rep from metricUpdated');
    const depth = await panel.getByTestId('coaching-last').innerText();
    expect(depth).toMatch(/^\d+°$/);
    const degrees = Number(depth.replace('°', ''));
    expect(degrees).toBeGreaterThan(60);
    expect(degrees).toBeLessThan(150);
    await screenshot(page, 'webcam-coaching-01-live');

    // The window ends (60 s + the hub's grace) and analysisCompleted brings the final count.
    await page.locator('[data-testid=live-coaching][data-status=DONE], [data-testid=live-coaching][data-status=FAILED]').waitFor({ timeout: 120_000 });
    await expect(panel.getByTestId('coaching-status').innerText()).resolves.toBe('Done');
    const count = await numericAttribute(page, '[data-testid=live-coaching]', 'data-count');
    expect(count).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'webcam-coaching-02-done');
    await page.getByRole('button', { name: 'Stop webcam' }).click();
    expect(consoleWatch.errors).toEqual([]);
  });
});
