/**
 * The analytics pages end to end, in Debian's Chromium against the real API server with a
 * simulator camera: a zone and a counting line are drawn on the camera picture with the mouse,
 * live counts move, the per-minute chart and the heatmap render, a loitering rule raises an
 * alert that is acknowledged on the Alerts page; a second simulator camera's journeys show next to
 * the first one's in the all-cameras Sankey, and the analytics settings form saves and shows the
 * server's field error. Screenshots go to artifacts/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, eventually, numericAttribute, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(240_000);

/** Clicks the zone canvas at normalized image coordinates. */
async function clickCanvas(page: Page, x: number, y: number): Promise<void> {
  const canvas = page.getByTestId('zone-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the zone canvas is not visible');
  await canvas.click({ position: { x: x * box.width, y: y * box.height } });
}

/** Draws an AREA zone by clicking its corners (the zone editor must be on the page). */
async function drawZone(page: Page, name: string, corners: readonly (readonly [number, number])[]): Promise<void> {
  await page.getByRole('button', { name: 'Draw zone' }).click();
  await page.getByLabel('Zone name').fill(name);
  for (const [x, y] of corners) await clickCanvas(page, x, y);
  await page.getByRole('button', { name: 'Save zone' }).click();
  await page.locator(`[data-testid=zone-row][data-zone-name="${name}"]`).waitFor();
}

async function cellNumber(page: Page, zoneName: string, testId: string): Promise<number> {
  const text = await page.locator(`[data-testid=zone-row][data-zone-name="${zoneName}"]`).getByTestId(testId).innerText();
  return Number(text);
}

describeWithInputs(E2E_INPUTS, 'the analytics e2e tests')('analytics and alerts pages (Chromium, real API)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const email = `analytics-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    stack = new E2eStack();
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 1000 } });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('draws a zone and a counting line with the mouse on a simulator camera, and the counts, chart and heatmap move', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'Analytics Store', email);
    await page.getByRole('link', { name: 'Add camera' }).click();
    await page.getByLabel('Name').fill('Shop floor simulator');
    await page.getByLabel('Source kind').selectOption('SIMULATOR');
    await page.getByLabel('Target fps').fill('10');
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('link', { name: 'Shop floor simulator' }).click();
    await page.getByTestId('zones-empty').waitFor();

    // The simulator's people walk across the lower half (lanes at 70-90% of the height).
    await page.getByRole('button', { name: 'Draw zone' }).click();
    await page.getByLabel('Zone name').fill('Aisle');
    for (const [x, y] of [
      [0.3, 0.55],
      [0.7, 0.55],
      [0.7, 0.99],
      [0.3, 0.99],
    ] as const)
      await clickCanvas(page, x, y);
    await page.getByTestId('draft-points').getByText('4 points').waitFor();
    await page.getByRole('button', { name: 'Save zone' }).click();
    await page.locator('[data-testid=zone-row][data-zone-name="Aisle"]').waitFor();

    await page.getByRole('button', { name: 'Draw line' }).click();
    await page.getByLabel('Zone name').fill('Door');
    await clickCanvas(page, 0.5, 0.45);
    await clickCanvas(page, 0.5, 0.99);
    await page.getByRole('button', { name: 'Save line' }).click();
    await page.locator('[data-testid=zone-row][data-zone-name="Door"]').waitFor();
    expect(await numericAttribute(page, '[data-testid=zone-canvas]', 'data-zone-count')).toBe(2);

    await page.getByRole('button', { name: 'Start camera' }).click();
    await eventually(
      () => page.getByTestId('zone-canvas').getAttribute('data-has-background'),
      (v) => v === 'true',
      60_000,
      'the camera picture',
    );
    await eventually(
      () => cellNumber(page, 'Aisle', 'zone-in'),
      (n) => n > 0,
      90_000,
      'entries into the zone',
    );
    await eventually(
      async () => (await cellNumber(page, 'Door', 'zone-in')) + (await cellNumber(page, 'Door', 'zone-out')),
      (n) => n > 0,
      90_000,
      'crossings of the line',
    );
    await eventually(
      () => numericAttribute(page, '[data-testid=zone-canvas]', 'data-heat-cells'),
      (n) => n > 0,
      30_000,
      'a heatmap drawn over the picture',
    );
    await page.locator('[data-testid=zone-row][data-zone-name="Aisle"]').getByRole('button', { name: 'Aisle' }).click();
    await eventually(
      () => numericAttribute(page, '[data-testid=zone-chart]', 'data-total'),
      (n) => n > 0,
      30_000,
      'entries in the per-minute chart',
    );
    await page.locator('[data-testid=zone-chart] .recharts-surface').first().waitFor();
    await screenshot(page, 'analytics-01-zones-counts-heatmap');
  });

  it('raises a loitering alert from a rule and acknowledges it on the Alerts page', async () => {
    await page.getByLabel('Rule kind').selectOption('LOITERING');
    await page.getByLabel('Rule limit').fill('1');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByTestId('alert-rule').first().waitFor();
    // The identity kinds are offered too: a VIP arrival rule reads back with its cooldown.
    await page.getByLabel('Rule kind').selectOption('VIP_ARRIVAL');
    expect(await page.getByLabel('Rule limit').inputValue()).toBe('60');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText('A VIP is recognised on this camera (again after 60 min)').waitFor();
    await screenshot(page, 'analytics-02a-alert-rule-kinds');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByTestId('alert-row').first().waitFor({ timeout: 90_000 });
    await screenshot(page, 'analytics-02-alerts');
    const before = await page.getByTestId('alert-row').count();
    await page.getByTestId('alert-row').first().getByRole('button', { name: 'Acknowledge' }).click();
    // With every alert listed, the acknowledged one says when it was acknowledged.
    await page.getByLabel('Only unacknowledged').uncheck();
    await page
      .getByText(/acknowledged \d/)
      .first()
      .waitFor();
    expect(before).toBeGreaterThan(0);
    expect(consoleWatch.errors).toEqual([]);
  });

  it('shows journeys between two zones as a Sankey diagram', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('link', { name: 'Shop floor simulator' }).click();
    await page.locator('[data-testid=zone-row][data-zone-name="Aisle"]').waitFor();
    await page.getByRole('button', { name: 'Draw zone' }).click();
    await page.getByLabel('Zone name').fill('Window');
    for (const [x, y] of [
      [0.75, 0.55],
      [0.98, 0.55],
      [0.98, 0.99],
      [0.75, 0.99],
    ] as const)
      await clickCanvas(page, x, y);
    await page.getByRole('button', { name: 'Save zone' }).click();
    await page.locator('[data-testid=zone-row][data-zone-name="Window"]').waitFor();
    // People walking right leave the Aisle and enter the Window zone (and the other way round).
    await eventually(
      () => numericAttribute(page, '[data-testid=journeys]', 'data-links'),
      (n) => n > 0,
      120_000,
      'a zone-to-zone journey',
    );
    await page.locator('[data-testid=journeys] .recharts-sankey-link').first().waitFor({ state: 'attached' });
    await screenshot(page, 'analytics-03-journeys');
    expect(consoleWatch.errors).toEqual([]);
  });

  it('shows both cameras\' journeys in the all-cameras Sankey, nodes named by camera and zone', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cameras' }).click();
    await page.getByRole('link', { name: 'Add camera' }).click();
    await page.getByLabel('Name').fill('Back room simulator');
    await page.getByLabel('Source kind').selectOption('SIMULATOR');
    await page.getByLabel('Target fps').fill('10');
    await page.getByRole('button', { name: 'Add camera' }).click();
    await page.waitForURL(/\/cameras\/[0-9a-f-]{36}$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('link', { name: 'Back room simulator' }).click();
    await page.getByTestId('zones-empty').waitFor();
    await drawZone(page, 'Till', [
      [0.3, 0.55],
      [0.7, 0.55],
      [0.7, 0.99],
      [0.3, 0.99],
    ]);
    await drawZone(page, 'Exit', [
      [0.75, 0.55],
      [0.98, 0.55],
      [0.98, 0.99],
      [0.75, 0.99],
    ]);
    await page.getByRole('button', { name: 'Start camera' }).click();
    await page.getByLabel('Journeys of').selectOption('all');
    // Without identity each camera's tracks are separate people: the links stay within a camera,
    // and both cameras' zones are nodes of the one diagram.
    await eventually(
      async () => (await page.locator('[data-testid=journeys-all] text').allTextContents()).join('|'),
      (labels) => labels.includes('Back room simulator · ') && labels.includes('Shop floor simulator · '),
      150_000,
      'journeys of both cameras in the all-cameras Sankey',
    );
    expect(await numericAttribute(page, '[data-testid=journeys-all]', 'data-links')).toBeGreaterThanOrEqual(2);
    // Counts and median transit times per link, as a table next to the picture.
    expect(await page.getByTestId('journey-links').locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
    await page.getByTestId('journey-links').getByText(/^\d+\.\d s$/).first().waitFor();
    await screenshot(page, 'analytics-04-journeys-all-cameras');
    // The per-camera view is still there.
    await page.getByLabel('Journeys of').selectOption('camera');
    await page.getByTestId('journeys').waitFor();
    expect(consoleWatch.errors).toEqual([]);
  });

  it('saves the analytics settings and shows the server\'s error under the field', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    const form = page.getByTestId('analytics-settings');
    const retention = form.getByLabel('Retention (days)');
    const skew = form.getByLabel('Clock-skew tolerance (seconds)');
    await eventually(() => retention.inputValue(), (v) => v === '90', 30_000, 'the default retention');
    expect(await skew.inputValue()).toBe('2');
    await retention.fill('30');
    await skew.fill('3.5');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await form.getByRole('status').getByText('Saved.').waitFor();

    await retention.fill('0');
    await form.getByRole('button', { name: 'Save settings' }).click();
    await eventually(() => retention.getAttribute('aria-invalid'), (v) => v === 'true', 30_000, 'the retention field marked invalid');
    const describedBy = (await retention.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    expect(errorId).toBeDefined();
    expect((await page.locator(`[id="${errorId}"]`).innerText()).length).toBeGreaterThan(0);
    expect(await skew.getAttribute('aria-invalid')).toBe('false');
    await screenshot(page, 'analytics-05-settings-field-error');

    // What was saved is what the server holds.
    await page.reload();
    await eventually(() => page.getByTestId('analytics-settings').getByLabel('Retention (days)').inputValue(), (v) => v === '30', 30_000, 'the saved retention');
    expect(await page.getByTestId('analytics-settings').getByLabel('Clock-skew tolerance (seconds)').inputValue()).toBe('3.5');
    expect(consoleWatch.errors).toEqual([]);
  });
});
