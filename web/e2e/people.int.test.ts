/**
 * The People page end to end, in Debian's Chromium against the real API server: the identity
 * health panel, enrolment from two shared face photos (the photos are embedded by the server's
 * FaceRes and discarded), the person in the list with a tag, a bad photo named per photo, and
 * erasure after the confirmation dialog. Screenshots go to artifacts/screenshots/.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs, sharedDataPath } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(180_000);

const amy = (n: number) => sharedDataPath(`faces/amy/amy${n}.png`);

describeWithInputs([...E2E_INPUTS, amy(1), amy(2)], 'the people e2e test')('people page (Chromium, real API)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const dialogs: string[] = [];
  const email = `people-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    stack = new E2eStack();
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('enrols a person from face photos, shows them with a tag, names a bad photo, and erases them after confirmation', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'People Inc', email);
    await page.getByRole('link', { name: 'People' }).click();
    await page.getByTestId('people-empty').waitFor();
    await page.getByTestId('identity-health').waitFor();
    await expect(page.getByTestId('health-enrolled').textContent()).resolves.toBe('0');

    // A photo too small to be a face crop: the error names the photo, nobody is enrolled.
    const tiny = path.join(tmpdir(), `tiny-${Date.now()}.png`);
    // 1x1 PNG (transparent): decodes, far under the 64 px minimum.
    writeFileSync(tiny, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
    await page.getByLabel('Name').fill('Amy');
    await page.getByTestId('person-photos').setInputFiles([amy(1), tiny]);
    await page.getByRole('button', { name: 'Enrol' }).click();
    await page.getByTestId('photo-errors').getByText(/Photo 2: .*too small/).waitFor();
    await screenshot(page, 'people-01-bad-photo-named');
    await expect(page.getByTestId('person').count()).resolves.toBe(0);

    await page.getByLabel('Tags').fill('VIP');
    await page.getByTestId('person-photos').setInputFiles([amy(1), amy(2)]);
    await page.getByRole('button', { name: 'Enrol' }).click();
    const row = page.getByTestId('person');
    await row.getByTestId('person-name').getByText('Amy').waitFor({ timeout: 60_000 });
    await row.getByTestId('person-tag').getByText('VIP').waitFor();
    await expect(row.locator('td[data-label="Face vectors"]').textContent()).resolves.toBe('2');
    await page.reload();
    await page.getByTestId('health-vectors').getByText('2').waitFor();
    await screenshot(page, 'people-02-enrolled');

    await page.getByRole('button', { name: 'Erase' }).click();
    await page.getByTestId('people-empty').waitFor();
    expect(dialogs.at(-1)).toMatch(/Erase Amy\?.*cannot be undone/);
    await page.reload();
    await page.getByTestId('health-vectors').getByText('0').waitFor();
    await screenshot(page, 'people-03-erased');
    expect(consoleWatch.errors).toEqual([]);
  });
});
