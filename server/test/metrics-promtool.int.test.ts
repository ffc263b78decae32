import { spawnSync } from 'node:child_process';
import { absentTestInput } from '@trinetra/shared/testing';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';
import { startTestWorker } from './support/test-worker';

/** Debian's `prometheus` package ships promtool here (`.ci/run` installs it). */
const PROMTOOL = '/usr/bin/promtool';
const skip = absentTestInput([PROMTOOL], 'the /metrics lint (promtool check metrics)');

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Scrapes a running server with a camera delivering frames through a real worker, so every
 * family has samples (histograms, per-tier counters, drops), and lints the exposition with
 * Prometheus's own checker: counters end in `_total`, gauges do not, latencies are histograms
 * in base units, no invalid families.
 */
(skip ? describe.skip : describe)('/metrics passes promtool check metrics', () => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    t = await startTestApp();
    worker = await startTestWorker({ REDIS_URL: t.config.REDIS_URL, FRAME_QUEUE_NAME: t.config.FRAME_QUEUE_NAME, INFERENCE_BACKEND: 'simulated' });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.stop();
  });

  it('has no lint problems while frames flow', async () => {
    const { accessToken } = await signUpTenant(t.url, 'Metrics lint');
    const created = await gql(
      t.url,
      `mutation($input: CreateCameraInput!) { createCamera(input: $input) { id } }`,
      { input: { name: 'Lint', sourceKind: 'SIMULATOR' } },
      accessToken,
    );
    const cameraId = created.data!['createCamera'].id as string;
    await gql(t.url, `mutation($id: ID!) { startCamera(id: $id) { id } }`, { id: cameraId }, accessToken);
    await waitFor(() => t.app.controlPlane.health().cameras.some((c) => c.delivered > 5), 'delivered frames');

    const text = await (await fetch(new URL('/metrics', t.url))).text();
    await gql(t.url, `mutation($id: ID!) { stopCamera(id: $id) { id } }`, { id: cameraId }, accessToken);
    expect(text).toContain('trinetra_detection_latency_seconds_bucket');
    expect(text).toContain('trinetra_pipeline_latency_seconds_bucket{le="0.2",stage="end_to_end"}');
    // Store analytics (modules/analytics/infra/prom-analytics.metrics.ts): closed labels only.
    expect(text).toContain('# TYPE trinetra_journey_completed_total counter');
    expect(text).toContain('# TYPE trinetra_vip_alerts_total counter');
    expect(text).toContain('trinetra_avg_dwell_time_seconds{zone="all"}');

    const lint = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    // promtool exits non-zero on lint problems and prints them (one per line) on stdout or stderr.
    expect({ status: lint.status, problems: `${lint.stdout}${lint.stderr}`.trim() }).toEqual({ status: 0, problems: '' });
  });
});
