import { Registry } from 'prom-client';
import { makeSupervisor } from '../domain/supervision/supervision.fixtures';
import { registerControlPlaneMetrics } from './control-plane.metrics';

/** The value of one exposition line (`name{labels} value`), or null when absent. */
function valueOf(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe('control plane metrics', () => {
  it('keeps counters monotonic when a camera is removed or registered again', async () => {
    const { supervisor, submit, take, answer } = makeSupervisor({}, [
      ['a', 'CRITICAL'],
      ['b', 'CRITICAL'],
    ]);
    const registry = new Registry();
    registerControlPlaneMetrics(supervisor, registry);
    for (let seq = 1; seq <= 3; seq += 1) {
      submit('a', seq);
      submit('b', seq);
    }
    for (const f of take()) answer(f);
    const before = await registry.metrics();
    expect(valueOf(before, 'trinetra_pipeline_frames_delivered_total{tier="CRITICAL"}')).toBe(6);
    expect(valueOf(before, 'trinetra_pipeline_cameras{tier="CRITICAL"}')).toBe(2);

    supervisor.removeCamera('b');
    const afterRemoval = await registry.metrics();
    expect(valueOf(afterRemoval, 'trinetra_pipeline_frames_delivered_total{tier="CRITICAL"}')).toBe(6);
    expect(valueOf(afterRemoval, 'trinetra_pipeline_cameras{tier="CRITICAL"}')).toBe(1);

    // Registered again, `b` counts from 0 in the supervisor; the exported total goes on from 6.
    supervisor.registerCamera('b', 'CRITICAL', { perception: 'SIMULATED', tiled: false });
    submit('b', 1);
    for (const f of take()) answer(f);
    expect(valueOf(await registry.metrics(), 'trinetra_pipeline_frames_delivered_total{tier="CRITICAL"}')).toBe(7);
  });

  it('exports latencies as histograms in seconds, inference as trinetra_detection_latency_seconds, without quantile labels or ids', async () => {
    const { supervisor, submit, take, answer, clock } = makeSupervisor({}, [['cam-secret-id', 'LIVE']]);
    const registry = new Registry();
    registerControlPlaneMetrics(supervisor, registry);
    submit('cam-secret-id', 1);
    clock.advance(30);
    const [frame] = take();
    answer(frame!, 120);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE trinetra_pipeline_latency_seconds histogram');
    expect(text).toContain('# TYPE trinetra_detection_latency_seconds histogram');
    expect(valueOf(text, 'trinetra_detection_latency_seconds_count')).toBe(1);
    expect(valueOf(text, 'trinetra_detection_latency_seconds_sum')).toBeCloseTo(0.12);
    expect(valueOf(text, 'trinetra_detection_latency_seconds_bucket{le="0.1"}')).toBe(0);
    expect(valueOf(text, 'trinetra_detection_latency_seconds_bucket{le="0.15"}')).toBe(1);
    expect(valueOf(text, 'trinetra_pipeline_latency_seconds_count{stage="buffer_wait"}')).toBe(1);
    expect(text).not.toContain('stage="inference"');
    expect(text).not.toContain('quantile');
    expect(text).not.toContain('cam-secret-id');
    // Gauges are never named like counters.
    for (const m of text.matchAll(/^# TYPE (\S+) gauge$/gm)) expect(m[1]).not.toMatch(/_total$/);
  });
});
