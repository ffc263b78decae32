/**
 * The Webhooks and Usage pages end to end, in Debian's Chromium against the real API server:
 * a refused internal URL shows its field error, an endpoint is created with its secret shown
 * once, a signed test message reaches a real receiver (signatures are verified with the
 * standardwebhooks library in modules/billing-safe/test/webhooks.int.test.ts), the delivery
 * appears and is replayed, and the usage page shows the metered attempts. Screenshots go to artifacts/screenshots/.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { Client } from 'pg';
import { describeWithInputs } from '@trinetra/shared/testing';
import { WebhookReceiver } from '../../modules/billing-safe/test/webhook-receiver';
import { E2E_INPUTS, E2eStack, eventually, screenshot, signUpInBrowser, watchConsole } from './support/e2e-stack';

jest.setTimeout(180_000);

describeWithInputs(E2E_INPUTS, 'the webhooks e2e tests')('webhooks and usage pages (Chromium, real API)', () => {
  let stack: E2eStack;
  let context: BrowserContext;
  let page: Page;
  let consoleWatch: ReturnType<typeof watchConsole>;
  const receiver = new WebhookReceiver();
  let receiverUrl = '';
  const email = `hooks-${Date.now().toString(36)}@e2e.trinetra.test`;

  beforeAll(async () => {
    receiverUrl = await receiver.start();
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
    await receiver.stop();
  });

  it('refuses an internal URL with the error under the field, then creates an endpoint whose secret is shown once', async () => {
    await signUpInBrowser(page, stack.dashboardUrl, 'Hooks Inc', email);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByTestId('webhooks-empty').waitFor();

    await page.getByLabel('URL').fill(receiverUrl);
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    await page.locator('.field__error').getByText(/loopback/).waitFor();
    await screenshot(page, 'webhooks-01-ssrf-refused');

    // The receiver listens on loopback: the tenant's network allowlist must name it (an operator setting, not in the UI yet).
    const db = new Client({ connectionString: (stack.api as unknown as { env: NodeJS.ProcessEnv }).env['DATABASE_URL'] });
    await db.connect();
    await db.query(`UPDATE "Tenant" SET "networkAllowlist" = ARRAY['127.0.0.1/32'] WHERE id = (SELECT "tenantId" FROM "User" WHERE email = $1)`, [email]);
    await db.end();

    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = (await page.getByTestId('webhook-secret-value').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.getByTestId('webhook-endpoint').waitFor();
    await screenshot(page, 'webhooks-02-created-secret-once');
    await page.getByRole('button', { name: 'I stored it' }).click();
    await expect(page.getByTestId('webhook-secret').count()).resolves.toBe(0);

    await page.getByRole('button', { name: 'Send test' }).click();
    const [request] = await receiver.untilReceived(1);
    expect(request!.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(request!.body)).toMatchObject({ type: 'webhook.test' });
    await page.locator('[data-testid="webhook-delivery"][data-status="SUCCEEDED"]').first().waitFor({ timeout: 20_000 });
    await screenshot(page, 'webhooks-03-delivery');

    await page.getByRole('button', { name: 'Replay' }).first().click();
    await receiver.untilReceived(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    await eventually(() => page.locator('[data-testid="webhook-delivery"]').count(), (n) => n >= 2, 20_000, 'the replay in the list');
    await screenshot(page, 'webhooks-04-replayed');
  });

  it('shows the plan, quotas and the metered webhook attempts on the usage page', async () => {
    await page.getByRole('link', { name: 'Usage' }).click();
    await page.getByTestId('plan').waitFor();
    await expect(page.locator('[data-quota="webhook_endpoints"]').getAttribute('data-used')).resolves.toBe('1');
    await eventually(
      async () => {
        await page.reload();
        await page.getByTestId('plan').waitFor();
        return page.getByTestId('usage').count();
      },
      (n) => n > 0,
      30_000,
      'metered usage',
    );
    await page.getByTestId('usage').getByText('webhook deliveries').waitFor();
    await screenshot(page, 'webhooks-05-usage');
    expect(consoleWatch.errors).toEqual([]);
  });
});
