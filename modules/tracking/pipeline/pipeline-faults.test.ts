import { PipelineFaults } from './pipeline-faults';

describe('PipelineFaults', () => {
  it('counts every fault and logs at most one line per kind per 10 s, saying how many it left out', () => {
    let now = 0;
    const lines: Array<Record<string, unknown>> = [];
    const logger = { info: () => undefined, error: () => undefined, warn: (context: object) => void lines.push(context as Record<string, unknown>) };
    const faults = new PipelineFaults(logger, () => now);
    for (let i = 0; i < 5; i++) faults.record('transport', new Error('redis down'), { cameraId: null });
    faults.record('checkpoint_save', new Error('x'), { cameraId: 'c' });
    now = 10_000;
    faults.record('transport', new Error('redis down'), { cameraId: null });
    expect(faults.count('transport')).toBe(6);
    expect(lines.map((l) => [l.fault, l.notLogged])).toEqual([
      ['transport', undefined],
      ['checkpoint_save', undefined],
      ['transport', 4],
    ]);
  });
});
