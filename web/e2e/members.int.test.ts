/**
 * The Members page end to end, in Debian's Chromium against the real API server: an owner
 * invites a VIEWER (the link is shown once), an invite to an existing member and a change that
 * would leave no OWNER are refused with their reasons on the page, the invitee opens the link
 * in another browser context and joins with a password, and the owner changes the new member's
 * role and removes them. Screenshots go to artifacts/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, eventually, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(180_000);

describeWithInputs(E2E_INPUTS, 'the members e2e tests')('members page (Chromium, real API)', () => {
  let stack: E2eStack;
  let owner: BrowserContext;
  let invitee: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const ownerEmail = `owner-${Date.now().toString(36)}@e2e.trinetra.test`;
  const viewerEmail = `viewer-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    stack = new E2eStack();
    await stack.start();
    owner = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    invitee = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await owner.newPage();
    consoleWatch = watchConsole(page);
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await owner?.close().catch(() => undefined);
    await invitee?.close().catch(() => undefined);
    await stack?.stop();
  });

  const memberRow = (email: string) => page.locator(`[data-testid="member"][data-email="${email}"]`);

  it('invites a member by a link shown once; the invitee joins with it; the owner changes their role and removes them', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'Team Inc', ownerEmail);
    await page.getByRole('link', { name: 'Members' }).click();
    await memberRow(ownerEmail).waitFor();
    expect(await memberRow(ownerEmail).getAttribute('data-role')).toBe('OWNER');

    // Refusals, with their reasons on the page.
    await page.getByLabel('Email').fill(ownerEmail);
    await page.getByRole('button', { name: 'Create invite link' }).click();
    await page.locator('.field__error').getByText(/already a member/).waitFor();
    await page.getByLabel(`Role of ${ownerEmail}`).selectOption('ADMIN');
    await page.getByTestId('member-error').getByText(/no OWNER/).waitFor();
    await screenshot(page, 'members-01-refusals');

    await page.getByLabel('Email').fill(viewerEmail);
    await page.getByLabel('Role', { exact: true }).selectOption('VIEWER');
    await page.getByRole('button', { name: 'Create invite link' }).click();
    const link = (await page.getByTestId('invite-link-value').textContent()) ?? '';
    expect(link).toMatch(/\/invite#token=[\w-]{40,}$/);
    await page.getByTestId('pending-invite').getByText(viewerEmail).waitFor();
    await screenshot(page, 'members-02-invite-link-once');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByTestId('invite-link').count()).resolves.toBe(0);

    // The invitee opens the link (on this test's dashboard address) in a browser of their own.
    const joiner = await invitee.newPage();
    const joinerConsole = watchConsole(joiner);
    await joiner.goto(`${stack.dashboardUrl}/invite${link.slice(link.indexOf('#'))}`);
    await joiner.getByLabel('Choose a password').fill('viewer-password-1');
    await joiner.getByRole('button', { name: 'Accept invite' }).click();
    await joiner.waitForURL('**/cameras');
    await joiner.getByTestId('current-user').getByText(viewerEmail).waitFor();
    await screenshot(joiner, 'members-03-invitee-joined');
    expect(joinerConsole.errors).toEqual([]);

    await eventually(
      async () => {
        await page.reload();
        await memberRow(ownerEmail).waitFor();
        return memberRow(viewerEmail).count();
      },
      (n) => n === 1,
      20_000,
      'the new member in the list',
    );
    expect(await memberRow(viewerEmail).getAttribute('data-role')).toBe('VIEWER');
    await page.getByLabel(`Role of ${viewerEmail}`).selectOption('ADMIN');
    await eventually(() => memberRow(viewerEmail).getAttribute('data-role'), (r) => r === 'ADMIN', 10_000, 'the role change');
    await screenshot(page, 'members-04-role-changed');
    await page.getByRole('button', { name: `Remove ${viewerEmail}` }).click();
    await eventually(() => memberRow(viewerEmail).count(), (n) => n === 0, 10_000, 'the removal');
    await screenshot(page, 'members-05-removed');
    // The refusals above were answers, not page errors.
    expect(consoleWatch.errors.filter((e) => !/LAST_OWNER|ALREADY_MEMBER|already a member|no OWNER/.test(e))).toEqual([]);
  });
});
