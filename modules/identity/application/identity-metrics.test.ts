import { Registry } from 'prom-client';
import { IdentityMetrics } from './identity-metrics';

describe('IdentityMetrics', () => {
  it('exposes the seed names, counters as _total, no tenant or camera labels, every gate reason from 0', async () => {
    const registry = new Registry();
    const metrics = new IdentityMetrics();
    metrics.register(registry);
    metrics.matches.inc();
    metrics.gateRejections.inc({ reason: 'TOO_FAST' });
    metrics.activeIdentities.set(2);
    const text = await registry.metrics();
    for (const name of [
      'trinetra_reid_matches_total',
      'trinetra_reid_unknowns_total',
      'trinetra_spatiotemporal_gate_rejections_total',
      'trinetra_identity_flicker_total',
      'trinetra_false_merge_detected_total',
      'trinetra_active_identities',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('# TYPE trinetra_active_identities gauge');
    expect(text).toContain('trinetra_reid_matches_total 1');
    expect(text).toContain('trinetra_spatiotemporal_gate_rejections_total{reason="TOO_FAST"} 1');
    expect(text).toContain('trinetra_spatiotemporal_gate_rejections_total{reason="UNREACHABLE"} 0');
    // Sample lines carry no tenant or camera label (ids would grow the series with customers).
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).not.toMatch(/tenant|camera/i);
  });
});
