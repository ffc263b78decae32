/**
 * Issue 18 in Chromium against the real API server (with its own workers): the Batch jobs page
 * imports a manifest from a picked file, shows the problem rows, live progress, the duplicate and
 * the missing file per row, and downloads the output (format v2); a FILE camera whose video is
 * gone fails with its reason on the live view and the camera list, instead of "waiting" forever;
 * a camera that sees nobody says so on its page and on the health page.
 * Screenshots go to artifacts/screenshots/.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import { describeWithInputs } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, POSE_VIDEO, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(300_000);


describeWithInputs([...E2E_INPUTS, POSE_VIDEO], 'the batch jobs e2e tests')('batch jobs page and camera failure reasons (Chromium, real API)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const email = `jobs-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    // The API server inherits the environment: "no one detected" after 20 empty frames, not 100,
    // so the last test does not wait minutes for a loaded machine's workers.
    process.env['NO_DETECTION_WARNING_FRAMES'] = '20';
    stack = new E2eStack();
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('imports a manifest from a file, shows problem rows, progress, the duplicate and the missing file', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'Batch Inc', email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Batch jobs' }).click();
    await page.getByTestId('jobs-empty').waitFor();

    const manifest = stack.tempPath('videos.csv');
    const missing = path.join(path.dirname(POSE_VIDEO), 'not-there.mp4');
    writeFileSync(manifest, `local_path,label\n${POSE_VIDEO},first\n${POSE_VIDEO},again\n${missing},gone\n"broken,row\n`);
    await page.getByLabel('Manifest file').setInputFiles(manifest);
    await page.getByRole('button', { name: 'Import' }).click();
    const summary = page.getByTestId('manifest-import-summary');
    await summary.getByText(/3 jobs, 1 queued, 1 duplicates, 1 missing files, 1 malformed rows/).waitFor();
    await page.getByTestId('manifest-problems').locator('[data-kind=MALFORMED]').waitFor();
    await screenshot(page, 'batch-jobs-01-imported');

    const rows = page.getByTestId('video-job');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    const missingRow = page.locator('[data-testid=video-job][data-status=MISSING_FILE]');
    await missingRow.getByTestId('job-error').getByText('file not found').waitFor();
    await page.locator('[data-testid=video-job][data-status=DONE]').nth(1).waitFor({ timeout: 180_000 });
    await page.getByTestId('job-duplicate').getByText(/Duplicate of line 2/).waitFor();
    expect(await page.getByTestId('job-download').count()).toBe(2);
    await page.getByTestId('job-counts').getByText(/3 jobs · 0 queued · 0 processing · 2 done · 0 failed · 1 missing files/).waitFor();
    await screenshot(page, 'batch-jobs-02-done');
  });

  it('downloads an output in the browser: the JSONL.gz of format v2', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('job-download').first().click()]);
    expect(download.suggestedFilename()).toBe('pose_1.jsonl.gz');
    const saved = stack.tempPath('downloaded.jsonl.gz');
    await download.saveAs(saved);
    const lines = gunzipSync(readFileSync(saved)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ type: 'header', format: 'trinetra.batch-output', version: 2, source: 'pose_1.mp4' });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', frames: 120 });
  });

  it('a FILE camera whose video is gone fails with its reason on the live view and the list', async () => {
    // The tenant's own storage area (<DATA_DIR>/media/<tenantId>/), where its FILE cameras may read.
    const db = new Client({ connectionString: (stack.api as unknown as { env: NodeJS.ProcessEnv }).env['DATABASE_URL'] });
    await db.connect();
    const tenantId = (await db.query<{ tenantId: string }>(`SELECT "tenantId" FROM "User" WHERE email = $1`, [email])).rows[0]!.tenantId;
    await db.end();
    const storage = stack.tempPath(`data/media/${tenantId}`);
    mkdirSync(storage, { recursive: true });
    const clip = path.join(storage, 'lobby.mp4');
    copyFileSync(POSE_VIDEO, clip);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cameras' }).click();
    await page.getByRole('link', { name: 'Add camera' }).first().click();
    await page.getByLabel('Name').fill('Lobby recording');
    await page.getByLabel('Source kind').selectOption('FILE');
    await page.getByLabel('Source URL').fill(clip);
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);

    rmSync(clip);
    await page.getByRole('button', { name: 'Start' }).click();
    const reason = page.locator('[data-testid=camera-status-reason][data-reason=SOURCE_NOT_FOUND]');
    await reason.waitFor({ timeout: 30_000 });
    expect(await reason.innerText()).toMatch(/Video file not found\..*Check that the file still exists/s);
    await page.getByTestId('live-waiting').getByText('This camera failed to start: see the reason above.').waitFor();
    await screenshot(page, 'camera-reason-01-live-view');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cameras' }).click();
    const row = page.locator('tr', { hasText: 'Lobby recording' });
    await row.locator('[data-testid=camera-status-reason][data-reason=SOURCE_NOT_FOUND]').waitFor();
    await row.getByRole('button', { name: 'Start' }).waitFor();
    await screenshot(page, 'camera-reason-02-list');
  });

  it('a live camera that sees nobody says so on its page and on the health page (not "healthy")', async () => {
    const db = new Client({ connectionString: (stack.api as unknown as { env: NodeJS.ProcessEnv }).env['DATABASE_URL'] });
    await db.connect();
    const tenantId = (await db.query<{ tenantId: string }>(`SELECT "tenantId" FROM "User" WHERE email = $1`, [email])).rows[0]!.tenantId;
    await db.end();
    const clip = stack.tempPath(`data/media/${tenantId}/empty-room.mp4`);
    // Test bars, nobody in them: 2 minutes at 10 fps, small so the workers keep up.
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=120:size=192x144:rate=10', '-c:v', 'mpeg4', '-q:v', '5', clip]);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cameras' }).click();
    await page.getByRole('link', { name: 'Add camera' }).first().click();
    await page.getByLabel('Name').fill('Empty room');
    await page.getByLabel('Source kind').selectOption('FILE');
    await page.getByLabel('Source URL').fill(clip);
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByTestId('no-detection-warning').getByText(/No one detected in the last \d+ processed frames/).waitFor({ timeout: 150_000 });
    await screenshot(page, 'no-detection-01-camera-page');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Health' }).click();
    const card = page.locator('[data-testid=camera-health]', { hasText: 'Empty room' });
    await card.locator('[data-testid=camera-health-state][data-state=NO_DETECTIONS]').waitFor({ timeout: 30_000 });
    expect(await card.getByText('healthy', { exact: true }).count()).toBe(0);
    await card.getByTestId('no-detection-warning').getByText(/CLOSE_UP/).waitFor();
    await screenshot(page, 'no-detection-02-health');
    expect(consoleWatch.errors).toEqual([]);
  });
});
