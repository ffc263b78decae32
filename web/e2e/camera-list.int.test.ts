/**
 * The camera list as a new tenant and a phone user see it, in Debian's Chromium against the real
 * API server: the onboarding panel on an empty list (its demo camera is created and started in
 * one click), states in words with a tooltip, rows whose cells line up, and at 390 px width no
 * button cut off or sticking out of its row. Screenshots go to artifacts/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(180_000);

interface Box { x: number; y: number; width: number; height: number }

async function boxOf(page: Page, selector: string, index = 0): Promise<Box> {
  const box = await page.locator(selector).nth(index).boundingBox();
  if (!box) throw new Error(`${selector} [${index}] is not rendered`);
  return box;
}

describeWithInputs(E2E_INPUTS, 'the camera list e2e tests')('camera list: onboarding, states in words, phone layout (Chromium, real API)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const email = `list-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    stack = new E2eStack();
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('offers three ways to start on an empty list, and the demo camera runs in one click', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'List Inc', email);
    const panel = page.getByTestId('cameras-empty');
    await panel.waitFor();
    expect(await panel.getByRole('link', { name: 'Use your webcam' }).getAttribute('href')).toBe('/webcam');
    expect(await panel.getByRole('link', { name: 'Import videos' }).getAttribute('href')).toBe('/jobs');
    await screenshot(page, 'camera-list-01-onboarding');

    await panel.getByRole('button', { name: 'Add a demo camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    await page.getByRole('heading', { name: 'Demo camera' }).waitFor();
    // Started by the same click: results arrive without pressing Start.
    await page.locator('[data-testid=live-canvas][data-track-count]:not([data-track-count="0"])').waitFor({ timeout: 60_000 });
    await page.locator('.badge[data-status=LIVE]').getByText('Running').waitFor();
  });

  it('words each state and explains it in a tooltip, on hover and on focus', async () => {
    await page.goto(`${stack.dashboardUrl}/cameras/new`);
    await page.getByLabel('Name').fill('Back door');
    await page.getByLabel('Source kind').selectOption('SIMULATOR');
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cameras' }).click();
    const idle = page.locator('tr', { hasText: 'Back door' }).locator('.badge[data-status]');
    await idle.getByText('Not started').waitFor();
    expect(await idle.getAttribute('data-status')).toBe('IDLE');
    const tip = page.locator('tr', { hasText: 'Back door' }).getByRole('tooltip');
    expect(await tip.isVisible()).toBe(false);
    await idle.hover();
    await tip.waitFor({ state: 'visible' });
    expect(await tip.innerText()).toMatch(/never run.*Press Start/);
    // Readable, not clipped by the table's scroll box: its last line is what the pointer would hit.
    const tipBox = (await tip.boundingBox())!;
    // A string expression: the tests' TypeScript program has no DOM types (it type-checks Node code).
    const hit = await page.evaluate<boolean>(`document.elementFromPoint(${tipBox.x + tipBox.width / 2}, ${tipBox.y + tipBox.height - 3})?.closest('[role=tooltip]') !== null`);
    expect(hit).toBe(true);
    await screenshot(page, 'camera-list-02-tooltip');
    await page.mouse.move(0, 0);
    await idle.focus();
    await tip.waitFor({ state: 'visible' });
  });

  it('lines up every cell with its row (no flex table cell)', async () => {
    await page.locator('tr[data-camera-id]').nth(1).waitFor();
    const rows = await page.locator('tr[data-camera-id]').count();
    for (let r = 0; r < rows; r++) {
      const row = await boxOf(page, 'tr[data-camera-id]', r);
      const cells = page.locator('tr[data-camera-id]').nth(r).locator('td');
      for (let c = 0; c < (await cells.count()); c++) {
        const cell = await cells.nth(c).boundingBox();
        expect(cell).not.toBeNull();
        // Each cell fills its row exactly: borders drawn at the same line.
        expect(Math.abs(cell!.y - row.y)).toBeLessThanOrEqual(1);
        expect(Math.abs(cell!.y + cell!.height - (row.y + row.height))).toBeLessThanOrEqual(1);
      }
    }
    await screenshot(page, 'camera-list-03-desktop');
  });

  it('keeps every button inside its row and the viewport at phone width (390 px)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.locator('tr[data-camera-id]').nth(1).waitFor();
    // Nothing makes the page scroll sideways.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const rows = await page.locator('tr[data-camera-id]').count();
    expect(rows).toBe(2);
    for (let r = 0; r < rows; r++) {
      const row = page.locator('tr[data-camera-id]').nth(r);
      const rowBox = (await row.boundingBox())!;
      expect(rowBox.x).toBeGreaterThanOrEqual(0);
      expect(rowBox.x + rowBox.width).toBeLessThanOrEqual(390);
      const buttons = row.locator('.button');
      expect(await buttons.count()).toBe(3);
      for (let b = 0; b < (await buttons.count()); b++) {
        const button = (await buttons.nth(b).boundingBox())!;
        const label = await buttons.nth(b).innerText();
        expect({ label, left: button.x >= rowBox.x, right: button.x + button.width <= rowBox.x + rowBox.width, inViewport: button.x + button.width <= 390 })
          .toEqual({ label, left: true, right: true, inViewport: true });
        expect(button.y).toBeGreaterThanOrEqual(rowBox.y);
        expect(button.y + button.height).toBeLessThanOrEqual(rowBox.y + rowBox.height + 0.5);
        expect(button.width).toBeGreaterThan(30);
      }
      // Each state stays visible and labelled on the card.
      await row.getByTestId('camera-status').locator('.badge[data-status]').waitFor();
    }
    await screenshot(page, 'camera-list-04-phone');
    // The tooltip of a badge fits the phone's width too.
    const badge = page.locator('tr[data-camera-id]').nth(0).locator('.badge[data-status]');
    await badge.focus();
    const tip = page.locator('tr[data-camera-id]').nth(0).getByRole('tooltip');
    await tip.waitFor({ state: 'visible' });
    const tipBox = (await tip.boundingBox())!;
    expect(tipBox.x).toBeGreaterThanOrEqual(0);
    expect(tipBox.x + tipBox.width).toBeLessThanOrEqual(390);
    await screenshot(page, 'camera-list-05-phone-tooltip');
  });

  it('logged no console errors', () => {
    expect(consoleWatch.errors).toEqual([]);
  });
});
