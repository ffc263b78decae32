import { Webhook } from 'standardwebhooks';
import { gql, signUpTenant, startTestApp, type TestApp } from '../../../server/test/support/test-app';
import { WebhookReceiver } from './webhook-receiver';

const CREATE = `mutation($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id url eventTypes cameraIds enabled } } }`;
const DELIVERIES = `query($endpointId: ID) { webhookDeliveries(endpointId: $endpointId, first: 50) { edges { node { id messageId eventType status attempts lastResponseCode lastError replayOfId body attemptLog { attempt responseCode error succeeded durationMs } } } } }`;

interface Delivery {
  id: string;
  messageId: string;
  eventType: string;
  status: string;
  attempts: number;
  lastResponseCode: number | null;
  lastError: string | null;
  replayOfId: string | null;
  body: string;
  attemptLog: { attempt: number; responseCode: number | null; error: string | null; succeeded: boolean; durationMs: number }[];
}

let t: TestApp;
let receiver: WebhookReceiver;
let receiverUrl: string;

async function tenant(name: string): Promise<{ token: string; tenantId: string }> {
  const { accessToken } = await signUpTenant(t.url, name);
  const me = await gql<{ me: { tenant: { id: string } } }>(t.url, `{ me { tenant { id } } }`, {}, accessToken);
  const tenantId = me.data!.me.tenant.id;
  // The receiver listens on loopback, which the SSRF guard refuses unless the tenant's allowlist names it.
  await t.app.db.tenant.update({ where: { id: tenantId }, data: { networkAllowlist: ['127.0.0.1/32'] } });
  return { token: accessToken, tenantId };
}

async function createEndpoint(token: string, input: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await gql<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(t.url, CREATE, { input }, token);
  if (!res.data?.createWebhookEndpoint) throw new Error(`createWebhookEndpoint failed: ${JSON.stringify(res.errors)}`);
  return { id: res.data.createWebhookEndpoint.endpoint.id, secret: res.data.createWebhookEndpoint.secret };
}

async function deliveries(token: string, endpointId: string): Promise<Delivery[]> {
  const res = await gql<{ webhookDeliveries: { edges: { node: Delivery }[] } }>(t.url, DELIVERIES, { endpointId }, token);
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.webhookDeliveries.edges.map((e) => e.node);
}

/** Polls the API until `done` holds: the delivery records are written right after the receiver answers. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function headerRecord(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  return {
    'webhook-id': String(headers['webhook-id']),
    'webhook-timestamp': String(headers['webhook-timestamp']),
    'webhook-signature': String(headers['webhook-signature']),
  };
}

beforeAll(async () => {
  t = await startTestApp({ WEBHOOK_QUEUE_NAME: `webhooks-test-${Date.now()}-${process.pid}`, WEBHOOK_TIMEOUT_MS: '500' });
  receiver = new WebhookReceiver();
  receiverUrl = await receiver.start();
});

afterAll(async () => {
  await receiver?.stop();
  await t?.stop();
});

beforeEach(() => {
  receiver.received.length = 0;
  receiver.behave(() => 204);
});

describe('webhooks (Standard Webhooks)', () => {
  it('shows the whsec_ secret once; a test message verifies with the standardwebhooks library as an integrator would', async () => {
    const { token } = await tenant('Signer');
    const { id, secret } = await createEndpoint(token, { url: receiverUrl, eventTypes: ['camera.status_changed'] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const listed = await gql(t.url, `{ webhookEndpoints { id url } }`, {}, token);
    expect(JSON.stringify(listed.data)).not.toContain('whsec_');

    const sent = await gql<{ sendTestWebhook: { id: string; messageId: string } }>(
      t.url,
      `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id messageId } }`,
      { id },
      token,
    );
    const [request] = await receiver.untilReceived(1);
    const headers = headerRecord(request!.headers);
    expect(headers['webhook-id']).toBe(sent.data!.sendTestWebhook.messageId);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const payload = new Webhook(secret).verify(request!.body, headers) as { type: string; data: { endpointId: string } };
    expect(payload).toMatchObject({ type: 'webhook.test', data: { endpointId: id } });
    expect(() => new Webhook(secret).verify(request!.body.replace('test', 'tost'), headers)).toThrow();

    const [delivery] = await until(
      () => deliveries(token, id),
      (d) => d[0]?.status === 'SUCCEEDED',
      'the delivery to succeed',
    );
    expect(delivery).toMatchObject({ attempts: 1, lastResponseCode: 204, attemptLog: [{ attempt: 1, responseCode: 204, succeeded: true }] });
  });

  it('retries a receiver that fails twice (1 s, then 2 s later) until it answers 2xx, with the same webhook-id', async () => {
    const { token } = await tenant('Retry');
    const { id } = await createEndpoint(token, { url: receiverUrl, eventTypes: ['camera.status_changed'] });
    receiver.behave((n) => (n < 2 ? 503 : 200));
    await gql(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id }, token);
    const requests = await receiver.untilReceived(3);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const [delivery] = await until(
      () => deliveries(token, id),
      (d) => d[0]?.status === 'SUCCEEDED',
      'the third attempt',
    );
    expect(delivery!.attemptLog.map((a) => [a.attempt, a.responseCode, a.succeeded])).toEqual([
      [1, 503, false],
      [2, 503, false],
      [3, 200, true],
    ]);
  });

  it('counts a receiver that hangs past WEBHOOK_TIMEOUT_MS as a failed attempt, and retries it', async () => {
    const { token } = await tenant('Hang');
    const { id } = await createEndpoint(token, { url: receiverUrl, eventTypes: ['camera.status_changed'] });
    receiver.behave((n) => (n === 0 ? 'hang' : 204));
    await gql(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id }, token);
    const [delivery] = await until(
      () => deliveries(token, id),
      (d) => d[0]?.status === 'SUCCEEDED',
      'the retry after the timeout',
    );
    expect(delivery!.attemptLog[0]).toMatchObject({
      attempt: 1,
      responseCode: null,
      succeeded: false,
      error: expect.stringContaining('timed out after 500 ms'),
    });
    expect(delivery!.attemptLog[1]).toMatchObject({ attempt: 2, responseCode: 204, succeeded: true });
  });

  it('replays a delivery as a new delivery with the same webhook-id and body', async () => {
    const { token } = await tenant('Replay');
    const { id, secret } = await createEndpoint(token, { url: receiverUrl, eventTypes: ['camera.status_changed'] });
    await gql(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id }, token);
    const [first] = await until(
      () => deliveries(token, id),
      (d) => d[0]?.status === 'SUCCEEDED',
      'the first delivery',
    );
    const replay = await gql<{ replayWebhookDelivery: { id: string; replayOfId: string; messageId: string } }>(
      t.url,
      `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id replayOfId messageId } }`,
      { id: first!.id },
      token,
    );
    expect(replay.data!.replayWebhookDelivery).toMatchObject({ replayOfId: first!.id, messageId: first!.messageId });
    const requests = await receiver.untilReceived(2);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expect(new Webhook(secret).verify(requests[1]!.body, headerRecord(requests[1]!.headers))).toBeTruthy();
  });

  it('after rotateWebhookSecret, both the new and the old secret verify during the grace period', async () => {
    const { token } = await tenant('Rotate');
    const { id, secret: oldSecret } = await createEndpoint(token, { url: receiverUrl, eventTypes: ['camera.status_changed'] });
    const rotated = await gql<{ rotateWebhookSecret: { secret: string; endpoint: { previousSecretExpiresAt: string } } }>(
      t.url,
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret endpoint { previousSecretExpiresAt } } }`,
      { id },
      token,
    );
    const newSecret = rotated.data!.rotateWebhookSecret.secret;
    expect(newSecret).not.toBe(oldSecret);
    await gql(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id }, token);
    const [request] = await receiver.untilReceived(1);
    const headers = headerRecord(request!.headers);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(new Webhook(newSecret).verify(request!.body, headers)).toBeTruthy();
    expect(new Webhook(oldSecret).verify(request!.body, headers)).toBeTruthy();
  });

  it('sends camera.status_changed when a camera starts, only to endpoints whose camera filter matches', async () => {
    const { token } = await tenant('Events');
    const camera = await gql<{ createCamera: { id: string } }>(
      t.url,
      `mutation { createCamera(input: { name: "Door", sourceKind: SIMULATOR, sourceUrl: "sim://people?count=1" }) { id } }`,
      {},
      token,
    );
    const cameraId = camera.data!.createCamera.id;
    const { secret } = await createEndpoint(token, { url: receiverUrl, eventTypes: ['camera.status_changed'], cameraIds: [cameraId] });
    await createEndpoint(token, { url: receiverUrl, eventTypes: ['video_job.finished'] });
    await gql(t.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: cameraId }, token);
    const [request] = await receiver.untilReceived(1);
    const payload = new Webhook(secret).verify(request!.body, headerRecord(request!.headers)) as { type: string; data: { cameraId: string; status: string } };
    expect(payload).toMatchObject({ type: 'camera.status_changed', data: { cameraId } });
    await gql(t.url, `mutation($id: ID!) { stopCamera(id: $id) { id } }`, { id: cameraId }, token);
    const all = await receiver.untilReceived(2);
    expect(all.every((r) => (JSON.parse(r.body) as { type: string }).type === 'camera.status_changed')).toBe(true);
  });

  it.each([
    [{ url: 'ftp://example.com/hook', eventTypes: ['alert.raised'] }, 'url', /scheme/],
    [{ url: 'not a url', eventTypes: ['alert.raised'] }, 'url', /not a valid URL/],
    [{ url: 'http://10.0.0.5/hook', eventTypes: ['alert.raised'] }, 'url', /private/],
    [{ url: 'http://169.254.169.254/latest', eventTypes: ['alert.raised'] }, 'url', /metadata/],
    [{ url: 'http://localhost:9/hook', eventTypes: ['alert.raised'] }, 'url', /loopback/],
    [{ url: 'https://example.com/hook', eventTypes: ['alert.raised', 'camera.exploded'] }, 'eventTypes', /unknown event type "camera.exploded"/],
    [{ url: 'https://example.com/hook', eventTypes: [] }, 'eventTypes', /at least one/],
  ])('refuses %j with BAD_USER_INPUT naming %s', async (input, field, message) => {
    const { accessToken } = await signUpTenant(t.url, 'Bad');
    const res = await gql(t.url, CREATE, { input }, accessToken);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0]?.message).toMatch(message);
  });

  it("answers NOT_FOUND for another tenant's endpoint and delivery ids, exactly as for missing ones", async () => {
    const a = await tenant('Owner');
    const b = await tenant('Intruder');
    const { id } = await createEndpoint(a.token, { url: receiverUrl, eventTypes: ['alert.raised'] });
    const sent = await gql<{ sendTestWebhook: { id: string } }>(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id }, a.token);
    const deliveryId = sent.data!.sendTestWebhook.id;
    const attempts = [
      gql(t.url, `mutation($id: ID!) { updateWebhookEndpoint(id: $id, input: { description: "mine" }) { id } }`, { id }, b.token),
      gql(t.url, `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }`, { id }, b.token),
      gql(t.url, `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`, { id }, b.token),
      gql(t.url, `mutation($id: ID!) { sendTestWebhook(endpointId: $id) { id } }`, { id }, b.token),
      gql(t.url, `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id } }`, { id: deliveryId }, b.token),
      gql(t.url, DELIVERIES, { endpointId: id }, b.token),
    ];
    for (const res of await Promise.all(attempts)) expect(res.errors?.[0]?.extensions?.['code']).toBe('NOT_FOUND');
    // A filter naming the owner's camera is refused exactly like an unknown camera id.
    const aCamera = await gql<{ createCamera: { id: string } }>(
      t.url,
      `mutation { createCamera(input: { name: "A door", sourceKind: SIMULATOR }) { id } }`,
      {},
      a.token,
    );
    const foreign = await gql(
      t.url,
      CREATE,
      { input: { url: receiverUrl, eventTypes: ['camera.status_changed'], cameraIds: [aCamera.data!.createCamera.id] } },
      b.token,
    );
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'cameraIds' });
    expect((await gql<{ webhookEndpoints: unknown[] }>(t.url, `{ webhookEndpoints { id } }`, {}, b.token)).data!.webhookEndpoints).toEqual([]);
    expect((await gql<{ webhookDeliveries: { edges: unknown[] } }>(t.url, DELIVERIES, {}, b.token)).data!.webhookDeliveries.edges).toEqual([]);
  });

  it('refuses an endpoint beyond the plan quota with FORBIDDEN, reason QUOTA_EXCEEDED, the quota and its limit', async () => {
    const { token, tenantId } = await tenant('Quota');
    const tenantRow = await t.app.db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    const plan = await t.app.db.plan.create({
      data: { code: `tiny-${tenantId}`, name: 'Tiny', maxCameras: 1, monthlyFrameQuota: 1000n, requestsPerMinute: 1000, maxWebhookEndpoints: 1 },
    });
    await t.app.db.tenant.update({ where: { id: tenantRow.id }, data: { planId: plan.id } });
    await createEndpoint(token, { url: receiverUrl, eventTypes: ['alert.raised'] });
    const res = await gql(t.url, CREATE, { input: { url: receiverUrl, eventTypes: ['alert.raised'] } }, token);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'QUOTA_EXCEEDED',
      quota: 'webhook_endpoints',
      limit: 1,
      used: 1,
      resetsAt: null,
    });
  });
});
