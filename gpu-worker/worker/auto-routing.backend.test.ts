import { encodeSimulatedFrame, type SimulatedTruth } from '@trinetra/shared';
import type { FrameInferenceResult, FrameInput, InferenceBackend } from '../inference/inference-backend';
import { AutoRoutingBackend } from './auto-routing.backend';
import type { FramePerception } from './frame-batch.contract';

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
      provenance: { backend: this.name === 'simulated' ? 'simulated' : 'onnx', model: this.name },
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

const PERCEPTION: Record<string, FramePerception> = { S: 'SIMULATED', D: 'SCENE', C: 'CLOSE_UP' };
/**
 * `S` = perception SIMULATED, `D` = SCENE (detector), `C` = CLOSE_UP; frame ids are
 * `<kind><index>`, seq the index. Every frame carries simulator ground truth in its bytes: the
 * router must not care.
 */
const framesOf = (pattern: string, image: Buffer = simulatedJpeg): FrameInput[] =>
  [...pattern].map((kind, i) => ({ frameId: `${kind}${i}`, cameraId: 'cam', seq: i, image, perception: PERCEPTION[kind] as FramePerception }));

type Loader = () => Promise<InferenceBackend>;

function setup(overrides: { sim?: FakeBackend; scene?: FakeBackend; closeUp?: FakeBackend; loadScene?: Loader; loadCloseUp?: Loader } = {}) {
  const sim = overrides.sim ?? new FakeBackend('simulated');
  const scene = overrides.scene ?? new FakeBackend('onnx:scene');
  const closeUp = overrides.closeUp ?? new FakeBackend('onnx:close-up');
  const loadScene = jest.fn(overrides.loadScene ?? (async () => scene));
  const loadCloseUp = jest.fn(overrides.loadCloseUp ?? (async () => closeUp));
  const warn = jest.fn();
  const router = new AutoRoutingBackend({ simulated: sim, load: { SCENE: loadScene, CLOSE_UP: loadCloseUp }, warn });
  return { router, sim, scene, closeUp, loadScene, loadCloseUp, warn };
}

describe('AutoRoutingBackend', () => {
  it.each([
    ['only simulator frames', 'SSS', ['S0', 'S1', 'S2'], [], []],
    ['only scene frames', 'DD', [], ['D0', 'D1'], []],
    ['a mixed batch', 'SDCSDC', ['S0', 'S3'], ['D1', 'D4'], ['C2', 'C5']],
  ])('routes %s by perception and keeps batch order', async (_label, pattern, toSim, toScene, toCloseUp) => {
    const { router, sim, scene, closeUp } = setup({ scene: new FakeBackend('onnx:scene', { delayMs: 5 }) });
    const frames = framesOf(pattern);
    const results = await router.infer(frames);
    expect(results.map((r) => r.frameId)).toEqual(frames.map((f) => f.frameId));
    expect(sim.calls).toEqual(toSim.length ? [toSim] : []);
    expect(scene.calls).toEqual(toScene.length ? [toScene] : []);
    expect(closeUp.calls).toEqual(toCloseUp.length ? [toCloseUp] : []);
    const names: Record<string, string> = { S: 'simulated', D: 'onnx:scene', C: 'onnx:close-up' };
    for (const [i, r] of results.entries()) {
      if (!r.ok) throw new Error('expected ok');
      expect(r.persons[0]?.score).toBe(i);
      expect(r.backend).toBe(names[pattern[i] as string]);
    }
  });

  it('never reads the bytes: ground truth in a SCENE or CLOSE_UP frame still goes to the real models', async () => {
    const { router, sim, scene, closeUp } = setup();
    const results = await router.infer(framesOf('DC', simulatedJpeg));
    expect(sim.calls).toEqual([]);
    expect(scene.calls).toEqual([['D0']]);
    expect(closeUp.calls).toEqual([['C1']]);
    expect(results.map((r) => (r.ok ? r.provenance.backend : r.message))).toEqual(['onnx', 'onnx']);
    // And a plain JPEG sent as SIMULATED goes to the simulated backend (which fails it for lack of truth).
    await router.infer(framesOf('S', plainJpeg));
    expect(sim.calls).toEqual([['S0']]);
  });

  it('never loads a real backend while it only sees simulator frames', async () => {
    const { router, loadScene, loadCloseUp } = setup();
    await router.infer(framesOf('SS'));
    await router.infer(framesOf('S'));
    await router.close();
    expect(loadScene).not.toHaveBeenCalled();
    expect(loadCloseUp).not.toHaveBeenCalled();
  });

  it('loads each real backend once, only when its perception shows up, even for concurrent batches', async () => {
    const scene = new FakeBackend('onnx:scene');
    const { router, loadScene, loadCloseUp } = setup({ loadScene: () => new Promise((r) => setTimeout(() => r(scene), 10)) });
    await Promise.all([router.infer(framesOf('DS')), router.infer(framesOf('D')), router.infer(framesOf('SD'))]);
    await router.infer(framesOf('D'));
    expect(loadScene).toHaveBeenCalledTimes(1);
    expect(loadCloseUp).not.toHaveBeenCalled();
    expect(scene.calls).toHaveLength(4);
  });

  it('keeps serving the other perceptions when one real backend cannot load, warning once', async () => {
    const { router, warn, loadScene } = setup({ loadScene: async () => Promise.reject(new Error('model file /x/nanodet.onnx is missing')) });
    const first = await router.infer(framesOf('SDC'));
    const second = await router.infer(framesOf('DS'));
    expect(first.map((r) => [r.frameId, r.ok])).toEqual([
      ['S0', true],
      ['D1', false],
      ['C2', true],
    ]);
    expect(first[1]).toEqual({ frameId: 'D1', ok: false, reason: 'decode_failed', message: expect.stringContaining('model file /x/nanodet.onnx is missing') });
    expect(second.map((r) => [r.frameId, r.ok])).toEqual([
      ['D0', false],
      ['S1', true],
    ]);
    expect(loadScene).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain('SCENE');
  });

  it.each([
    ['a real backend throws for the batch', { scene: new FakeBackend('onnx:scene', { fail: new Error('onnx run failed') }) }, 'onnx run failed'],
    ['the simulated backend throws for the batch', { sim: new FakeBackend('simulated', { fail: new Error('sim broke') }) }, 'sim broke'],
    ['a backend answers out of order', { closeUp: new FakeBackend('onnx:close-up', { reorder: true }) }, 'one result per frame in input order'],
  ])('fails the whole batch when %s', async (_label, backends, message) => {
    const { router } = setup(backends);
    await expect(router.infer(framesOf('SDDCC'))).rejects.toThrow(message);
  });

  it('keeps a backend name a routed backend already set per frame', async () => {
    const inner = new FakeBackend('inner');
    const tagging: InferenceBackend = {
      name: 'tagging',
      infer: async (frames) => (await inner.infer(frames)).map((r) => (r.ok ? { ...r, backend: 'inner:tagged' } : r)),
      close: async () => undefined,
    };
    const { router } = setup({ loadCloseUp: async () => tagging });
    const [result] = await router.infer(framesOf('C'));
    expect(result).toMatchObject({ ok: true, backend: 'inner:tagged' });
  });

  it('closes every backend that loaded, and only the simulated one when none did', async () => {
    const used = setup();
    await used.router.infer(framesOf('SDC'));
    await used.router.close();
    expect([used.sim.closed, used.scene.closed, used.closeUp.closed]).toEqual([1, 1, 1]);

    const unused = setup();
    await unused.router.close();
    expect([unused.sim.closed, unused.scene.closed, unused.closeUp.closed]).toEqual([1, 0, 0]);
    await expect(unused.router.infer(framesOf('D'))).resolves.toMatchObject([{ ok: false, message: expect.stringContaining('closed') }]);
    expect(unused.loadScene).not.toHaveBeenCalled();
  });
});
