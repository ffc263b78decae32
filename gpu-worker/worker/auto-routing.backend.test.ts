import { encodeSimulatedFrame, type SimulatedTruth } from '@trinetra/shared';
import type { FrameInferenceResult, FrameInput, InferenceBackend } from '../inference/inference-backend';
import { AutoRoutingBackend, type AutoRoutingBackendOptions } from './auto-routing.backend';

/** A backend that records its calls and answers each frame with one person whose score is its seq. */
class FakeBackend implements InferenceBackend {
  readonly calls: string[][] = [];
  closed = 0;
  constructor(
    readonly name: string,
    private readonly behaviour: { delayMs?: number; fail?: Error; reorder?: boolean } = {},
  ) {}

  async infer(frames: readonly FrameInput[]): Promise<FrameInferenceResult[]> {
    this.calls.push(frames.map((f) => f.frameId));
    if (this.behaviour.delayMs) await new Promise((r) => setTimeout(r, this.behaviour.delayMs));
    if (this.behaviour.fail) throw this.behaviour.fail;
    const results = frames.map((f): FrameInferenceResult => ({
      frameId: f.frameId,
      ok: true,
      width: 8,
      height: 8,
      inferenceMs: 1,
      persons: [{ box: { x: 0, y: 0, width: 1, height: 1 }, score: f.seq, keypoints: [] }],
    }));
    return this.behaviour.reorder ? results.reverse() : results;
  }

  async close(): Promise<void> {
    this.closed += 1;
  }
}

// A minimal baseline JPEG header (SOI, APP0, SOS ... EOI) is all the COM splice needs.
const plainJpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xda, 0x00, 0x02, 0x00, 0xff, 0xd9]);
const truth: SimulatedTruth = { width: 8, height: 8, persons: [] };
const simulatedJpeg = encodeSimulatedFrame(plainJpeg, truth);

/** `S` = a simulator frame, `R` = a real one; frame ids are `<kind><index>`, seq the index. */
const framesOf = (pattern: string): FrameInput[] =>
  [...pattern].map((kind, i) => ({ frameId: `${kind}${i}`, cameraId: 'cam', seq: i, image: kind === 'S' ? simulatedJpeg : plainJpeg }));

function setup(overrides: Partial<AutoRoutingBackendOptions> & { sim?: FakeBackend; real?: FakeBackend } = {}) {
  const sim = overrides.sim ?? new FakeBackend('simulated');
  const real = overrides.real ?? new FakeBackend('onnx:fake');
  const loadReal = jest.fn(overrides.loadReal ?? (async () => real));
  const warn = jest.fn();
  const router = new AutoRoutingBackend({ simulated: sim, loadReal, warn, ...(overrides.isSimulated ? { isSimulated: overrides.isSimulated } : {}) });
  return { router, sim, real, loadReal, warn };
}

describe('AutoRoutingBackend', () => {
  it.each([
    ['only simulator frames', 'SSS', ['S0', 'S1', 'S2'], []],
    ['only real frames', 'RR', [], ['R0', 'R1']],
    ['a mixed batch', 'SRSRR', ['S0', 'S2'], ['R1', 'R3', 'R4']],
  ])('routes %s by content and keeps batch order', async (_label, pattern, toSim, toReal) => {
    const { router, sim, real } = setup({ real: new FakeBackend('onnx:fake', { delayMs: 5 }) });
    const frames = framesOf(pattern);
    const results = await router.infer(frames);
    expect(results.map((r) => r.frameId)).toEqual(frames.map((f) => f.frameId));
    expect(sim.calls).toEqual(toSim.length ? [toSim] : []);
    expect(real.calls).toEqual(toReal.length ? [toReal] : []);
    for (const [i, r] of results.entries()) {
      if (!r.ok) throw new Error('expected ok');
      expect(r.persons[0]?.score).toBe(i);
      expect(r.backend).toBe(pattern[i] === 'S' ? 'simulated' : 'onnx:fake');
    }
  });

  it('never loads the real backend while it only sees simulator frames', async () => {
    const { router, loadReal } = setup();
    await router.infer(framesOf('SS'));
    await router.infer(framesOf('S'));
    await router.close();
    expect(loadReal).not.toHaveBeenCalled();
  });

  it('loads the real backend once, even for concurrent batches', async () => {
    const real = new FakeBackend('onnx:fake');
    const { router, loadReal } = setup({ loadReal: () => new Promise((r) => setTimeout(() => r(real), 10)) });
    await Promise.all([router.infer(framesOf('RS')), router.infer(framesOf('R')), router.infer(framesOf('SR'))]);
    await router.infer(framesOf('R'));
    expect(loadReal).toHaveBeenCalledTimes(1);
    expect(real.calls).toHaveLength(4);
  });

  it('keeps serving simulator frames when the real backend cannot load, warning once', async () => {
    const { router, warn, loadReal } = setup({ loadReal: async () => Promise.reject(new Error('model file /x/movenet.onnx is missing')) });
    const first = await router.infer(framesOf('SRS'));
    const second = await router.infer(framesOf('RS'));
    expect(first.map((r) => [r.frameId, r.ok])).toEqual([
      ['S0', true],
      ['R1', false],
      ['S2', true],
    ]);
    expect(first[1]).toEqual({ frameId: 'R1', ok: false, reason: 'decode_failed', message: expect.stringContaining('model file /x/movenet.onnx is missing') });
    expect(second.map((r) => [r.frameId, r.ok])).toEqual([
      ['R0', false],
      ['S1', true],
    ]);
    expect(loadReal).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain('model file /x/movenet.onnx is missing');
  });

  it.each([
    ['the real backend throws for the batch', { real: new FakeBackend('onnx:fake', { fail: new Error('onnx run failed') }) }, 'onnx run failed'],
    ['the simulated backend throws for the batch', { sim: new FakeBackend('simulated', { fail: new Error('sim broke') }) }, 'sim broke'],
    ['a backend answers out of order', { real: new FakeBackend('onnx:fake', { reorder: true }) }, 'one result per frame in input order'],
  ])('fails the whole batch when %s', async (_label, backends, message) => {
    const { router } = setup(backends);
    await expect(router.infer(framesOf('SRR'))).rejects.toThrow(message);
  });

  it('keeps a backend name a routed backend already set per frame', async () => {
    const inner = new FakeBackend('inner');
    const tagging: InferenceBackend = {
      name: 'tagging',
      infer: async (frames) => (await inner.infer(frames)).map((r) => (r.ok ? { ...r, backend: 'inner:tagged' } : r)),
      close: async () => undefined,
    };
    const { router } = setup({ loadReal: async () => tagging });
    const [result] = await router.infer(framesOf('R'));
    expect(result).toMatchObject({ ok: true, backend: 'inner:tagged' });
  });

  it('honours a custom routing predicate', async () => {
    const { router, sim, real } = setup({ isSimulated: (image) => image.length > 100 });
    await router.infer([
      { frameId: 'big', cameraId: 'c', seq: 0, image: Buffer.alloc(200) },
      { frameId: 'small', cameraId: 'c', seq: 1, image: Buffer.alloc(10) },
    ]);
    expect(sim.calls).toEqual([['big']]);
    expect(real.calls).toEqual([['small']]);
  });

  it('closes both backends, and only the simulated one when the real one never loaded', async () => {
    const used = setup();
    await used.router.infer(framesOf('SR'));
    await used.router.close();
    expect([used.sim.closed, used.real.closed]).toEqual([1, 1]);

    const unused = setup();
    await unused.router.close();
    expect([unused.sim.closed, unused.real.closed]).toEqual([1, 0]);
    await expect(unused.router.infer(framesOf('R'))).resolves.toMatchObject([{ ok: false, message: expect.stringContaining('closed') }]);
    expect(unused.loadReal).not.toHaveBeenCalled();
  });
});
