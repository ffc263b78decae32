/**
 * The API keys page end to end, in Debian's Chromium against the real API server: a key created
 * in the page (its secret shown once) authenticates a GraphQL call made from outside the
 * browser, the page shows when it was last used, and once revoked in the page the same call is
 * refused with 401. Screenshots go to artifacts/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describeWithInputs } from '@trinetra/shared/testing';
import { E2E_INPUTS, E2eStack, eventually, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(180_000);

/** A third-party program's call: plain fetch with the key, no browser. */
async function callWithKey(url: string, key: string): Promise<{ status: number; body: { data?: { cameras: { edges: unknown[] } }; errors?: Array<{ extensions?: { code?: string } }> } }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ cameras(first: 5) { edges { node { id name status } } } }' }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

describeWithInputs(E2E_INPUTS, 'the API keys e2e tests')('API keys page (Chromium, real API)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  let secret = '';
  const email = `keys-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    stack = new E2eStack();
    await stack.start();
    context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.dashboardUrl });
    page = await context.newPage();
    consoleWatch = watchConsole(page);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('creates a key whose secret is shown once, with a copy button', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'Keys Inc', email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByTestId('api-keys-empty').waitFor();

    // A name is required: the server's field error is shown under it.
    await page.getByLabel('Key name').fill('   ');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.locator('.field__error').getByText(/name/).waitFor();

    await page.getByLabel('Key name').fill('Store integration');
    expect(await page.getByRole('checkbox', { name: /cameras:read/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Create key' }).click();
    secret = (await page.getByTestId('api-key-secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^trk_\w+_/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(secret);
    const row = page.getByTestId('api-key');
    await row.getByText('Store integration').waitFor();
    expect(await row.getByTestId('api-key-last-used').innerText()).toBe('never');
    // The list shows the prefix, never the secret.
    expect(await page.getByTestId('api-key-table').innerText()).not.toContain(secret);
    await screenshot(page, 'api-keys-01-created-secret-once');

    await page.getByRole('button', { name: 'I stored it' }).click();
    expect(await page.getByTestId('api-key-secret').count()).toBe(0);
    await page.reload();
    await page.getByTestId('api-key').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('authenticates a call from outside the browser, and the page shows it as last used', async () => {
    const call = await callWithKey(stack.api.graphqlUrl, secret);
    expect(call.status).toBe(200);
    expect(call.body.errors).toBeUndefined();
    expect(call.body.data?.cameras.edges).toEqual([]);
    // lastUsedAt is written by the server after the request (not awaited by it): reload until seen.
    await eventually(
      async () => {
        await page.reload();
        return page.getByTestId('api-key-last-used').getAttribute('data-last-used');
      },
      (at) => Boolean(at),
      20_000,
      'last used to be set',
    );
    expect(await page.getByTestId('api-key-last-used').innerText()).not.toBe('never');
    await screenshot(page, 'api-keys-02-last-used');
  });

  it('revokes the key after confirmation, and the same call is then refused with 401', async () => {
    const dialogs: string[] = [];
    // First dismissed: nothing is revoked.
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.waitForTimeout(300);
    expect(await page.getByTestId('api-key').getAttribute('data-revoked')).toBe('false');
    expect((await callWithKey(stack.api.graphqlUrl, secret)).status).toBe(200);

    page.once('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByTestId('api-key-revoked').waitFor();
    expect(dialogs).toHaveLength(2);
    expect(dialogs[0]).toMatch(/Revoke the key “Store integration”/);
    await screenshot(page, 'api-keys-03-revoked');

    const refused = await callWithKey(stack.api.graphqlUrl, secret);
    expect(refused.status).toBe(401);
    expect(refused.body.data).toBeFalsy();
  });

  it('logged no console errors', () => {
    expect(consoleWatch.errors).toEqual([]);
  });
});
