import { Registry } from 'prom-client';
import { CameraGraph } from '../domain/camera-graph';
import type { CameraGraphService } from './camera-graph.service';
import { IdentityMetrics } from './identity-metrics';
import type { IdentitySettingsService } from './identity-settings.service';
import { IdentitySightingsService } from './identity-sightings.service';

const TENANT = '00000000-0000-4000-8000-000000000001';
const graph = new CameraGraph([
  { fromCameraId: 'entrance', toCameraId: 'hall', minTransitSeconds: 20 },
  { fromCameraId: 'hall', toCameraId: 'entrance', minTransitSeconds: 20 },
]);
// Only what the service reads: the tenant's graph and retention (their Postgres side is tested in test/).
const graphs = { graph: async () => graph, onChange: () => undefined } as unknown as CameraGraphService;
const settings = { get: async () => ({ unknownRetentionHours: 24 }), onChange: () => undefined } as unknown as IdentitySettingsService;
const unit = (...v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe('IdentitySightingsService: outcomes reach the metrics and identityHealth totals', () => {
  it('counts gate rejections by reason, false merges, flicker and the active identities; gives unknowns a visit id', async () => {
    const registry = new Registry();
    const metrics = new IdentityMetrics();
    metrics.register(registry);
    const service = new IdentitySightingsService(graphs, settings, metrics);
    const t0 = Date.UTC(2026, 10, 29, 12);
    const at = (s: number) => new Date(t0 + s * 1000);

    expect(await service.observe(TENANT, { cameraId: 'entrance', trackId: '1', at: at(0), personId: 'ann' })).toMatchObject({ personId: 'ann', visitId: null });
    expect((await registry.getSingleMetricAsString('trinetra_active_identities')).trim().split('\n').at(-1)).toBe('trinetra_active_identities 1');
    // 1 s later in the hall while the entrance track is live: the graph says 20 s apart -> false merge, split.
    expect((await service.observe(TENANT, { cameraId: 'hall', trackId: '2', at: at(1), personId: 'ann' })).falseMerge).toEqual({ personId: 'ann', trackIds: ['1', '2'] });
    // Track 1 named again, then renamed: flicker.
    await service.observe(TENANT, { cameraId: 'entrance', trackId: '1', at: at(2), personId: 'ann' });
    expect((await service.observe(TENANT, { cameraId: 'entrance', trackId: '1', at: at(3), personId: 'bob' })).flicker).toBe(true);
    // Bob was named at the entrance 9 s ago (that track has ended): a hall track named Bob now beats the 20 s transit.
    expect((await service.observe(TENANT, { cameraId: 'hall', trackId: '3', at: at(12), personId: 'bob' })).rejected).toBe('TOO_FAST');
    const unknown = await service.observe(TENANT, { cameraId: 'hall', trackId: '4', at: at(13), personId: null, embedding: unit(1, 2, 3) });
    expect(unknown.visitId).toMatch(/^[0-9a-f-]{36}$/);

    const totals = await service.totals(TENANT);
    expect(totals).toEqual({ flicker: 1, falseMerges: 1, gateRejections: { TOO_FAST: 1 } });
    const text = await registry.metrics();
    expect(text).toContain('trinetra_false_merge_detected_total 1');
    expect(text).toContain('trinetra_identity_flicker_total 1');
    expect(text).toContain('trinetra_spatiotemporal_gate_rejections_total{reason="TOO_FAST"} 1');
  });
});
