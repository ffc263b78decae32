import type { CameraStats } from './camera-driver';
import { evaluateGates, quantile, tierReports } from './report';
import { fpsAt, loadScenario, parseScenario, ScenarioError } from './scenario';
import { splitJpegs } from './video-frames';

const stats = (over: Partial<CameraStats>): CameraStats => ({
  cameraId: 'c',
  tier: 'CRITICAL',
  sent: 0,
  admitted: 0,
  results: 0,
  refusedByReason: {},
  droppedByReason: {},
  latenciesMs: [],
  ...over,
});

describe('load report', () => {
  it('takes nearest-rank quantiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile([], 0.99)).toBeNull();
  });

  it('sums cameras per tier and accounts admitted = results + dropped + unanswered', () => {
    const [critical] = tierReports([
      stats({
        cameraId: 'a',
        sent: 10,
        admitted: 8,
        results: 5,
        droppedByReason: { deadline_missed: 2 },
        refusedByReason: { burst_suppressed: 2 },
        latenciesMs: [30, 10],
      }),
      stats({ cameraId: 'b', sent: 10, admitted: 10, results: 10, latenciesMs: [20] }),
    ]);
    expect(critical).toMatchObject({
      tier: 'CRITICAL',
      cameras: 2,
      sent: 20,
      admitted: 18,
      results: 15,
      unanswered: 1,
      refusedByReason: { burst_suppressed: 2 },
      droppedByReason: { deadline_missed: 2 },
    });
    expect(critical?.latencyMs).toEqual({ p50: 20, p90: 30, p99: 30, max: 30 });
  });

  it('fails a gate whose figure is missing, and passes or fails the others by their limit', () => {
    const scenario = parseScenario(
      {
        name: 's',
        durationS: 1,
        cameras: [{ count: 1, tier: 'LIVE', fps: 1 }],
        gates: { p99MsByTier: { CRITICAL: 100, LIVE: 100 }, minResultRatioByTier: { CRITICAL: 0.9 }, maxServerRssMb: 500 },
      },
      'test',
    );
    const tiers = tierReports([stats({ admitted: 10, results: 9, latenciesMs: [50, 150] })]);
    const gates = evaluateGates(scenario, tiers, null);
    expect(gates.map((g) => [g.gate, g.passed])).toEqual([
      ['p99_ms.CRITICAL <=', false],
      ['p99_ms.LIVE <=', false],
      ['result_ratio.CRITICAL >=', true],
      ['server_rss_mb <=', false],
    ]);
  });
});

describe('load scenarios', () => {
  it('loads the shipped scenarios', () => {
    expect(loadScenario('retail-8cam').cameras.reduce((n, c) => n + c.count, 0)).toBe(8);
    expect(loadScenario('smoke-2cam').durationS).toBeLessThanOrEqual(60);
  });

  it('refuses bad scenario files with the field named', () => {
    expect(() => parseScenario({ name: 'x', durationS: 1, cameras: [{ count: 1, tier: 'GOLD', fps: 1 }] }, 'f')).toThrow(
      new ScenarioError('f: cameras[0].tier must be one of BILLING, CRITICAL, STANDARD, BEST_EFFORT, LIVE'),
    );
    expect(() => parseScenario({ name: 'x', durationS: -1, cameras: [{ count: 1, tier: 'LIVE', fps: 1 }] }, 'f')).toThrow(
      'f: durationS must be a positive number',
    );
    expect(() => loadScenario('no-such-scenario')).toThrow(ScenarioError);
  });

  it('applies bursts to their tier and time only', () => {
    const s = parseScenario(
      { name: 'b', durationS: 60, cameras: [{ count: 1, tier: 'CRITICAL', fps: 10 }], bursts: [{ atS: 20, durationS: 5, tier: 'CRITICAL', fpsMultiplier: 3 }] },
      'b',
    );
    const group = s.cameras[0]!;
    expect([fpsAt(s, group, 19.9), fpsAt(s, group, 20), fpsAt(s, group, 24.9), fpsAt(s, group, 25)]).toEqual([10, 30, 30, 10]);
    expect(fpsAt(s, { ...group, tier: 'LIVE' }, 22)).toBe(10);
  });
});

describe('splitJpegs', () => {
  it('splits concatenated JPEGs at their end markers', () => {
    const a = Buffer.from([0xff, 0xd8, 1, 2, 0xff, 0xd9]);
    const b = Buffer.from([0xff, 0xd8, 3, 0xff, 0xd9]);
    expect(splitJpegs(Buffer.concat([a, b, Buffer.from([0xff, 0xd8, 9])]))).toEqual([a, b]);
  });
});
