/**
 * The Analyses page end to end, in Debian's Chromium against the real API server (its own
 * gpu-worker pool with the ONNX pose model): sign up, upload tfjs-models' pose_squats.mp4,
 * choose SQUAT, follow the progress, and read the result: the reps counted by hand from the
 * clip (2 complete and a third descent the clip cuts off; see
 * modules/analytics/motion/sports/squat/squat.real-clip.test.ts), one row per rep, and the
 * knee-angle plot with the phases shaded and the reps marked. Screenshots go to
 * artifacts/screenshots/ (analyses-02-squat-result.png is the plot).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(300_000);

const SQUAT_VIDEO = sharedDataPath('video/tfjs-models/pose_squats.mp4');

describeWithInputs([...E2E_INPUTS, SQUAT_VIDEO], 'the analyses e2e test')('Analyses page (Chromium, real API, worker, ONNX)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const email = `coach-${Date.now().toString(36)}@e2e.trinetra.test`;

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
  });

  it('uploads the squat clip, follows the analysis and shows the reps with the knee-angle plot', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'Coaching Club', email);
    await page.getByRole('link', { name: 'Analyses' }).click();
    await page.getByTestId('sport-select').locator('option[value="SQUAT"]').waitFor({ state: 'attached' });

    await page.getByTestId('sport-select').selectOption('SQUAT');
    await page.getByLabel('Athlete height (cm)').fill('165');
    await page.getByTestId('video-input').setInputFiles(SQUAT_VIDEO);
    await page.getByRole('button', { name: 'Analyse' }).click();
    await page.getByTestId('analysis').waitFor();
    await screenshot(page, 'analyses-01-progress');

    // Decoding and the pose model run in the batch pipeline; the page follows analysisProgress.
    await page.locator('[data-testid="analysis"][data-status="DONE"]').waitFor({ timeout: 240_000 });
    await expect(page.getByTestId('metric-repCount').getAttribute('data-value')).resolves.toBe('2');
    await expect(page.getByTestId('metric-incompleteReps').getAttribute('data-value')).resolves.toBe('1');
    await expect(page.getByTestId('analysis-event').count()).resolves.toBe(2);
    const chart = page.getByTestId('analysis-chart');
    await expect(chart.getAttribute('data-points')).resolves.toBe('65');
    await expect(chart.getAttribute('data-events')).resolves.toBe('2');
    // recharts drew the line, the shaded phases (down and up of each rep) and the rep markers.
    await chart.locator('.recharts-line-curve').waitFor();
    await expect(chart.locator('.recharts-reference-area').count()).resolves.toBe(4);
    await expect(chart.locator('.recharts-reference-line').count()).resolves.toBe(2);
    await chart.scrollIntoViewIfNeeded();
    await screenshot(page, 'analyses-02-squat-result');
    expect(consoleWatch.errors).toEqual([]);
  });
});
