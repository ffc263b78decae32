import { FaceEmbeddingBackend } from '../inference/face-embedding.backend';
import { AutoRoutingBackend } from './auto-routing.backend';
import { frameRefSchema } from './frame-batch.contract';
import { SimulatedBackend } from './simulated.backend';
import { selectWorkerBackend } from './worker-backend.factory';
import { loadWorkerConfig } from './worker.config';

describe('selectWorkerBackend', () => {
  it.each([
    ['unset', 'auto', {}, FaceEmbeddingBackend],
    ['auto', 'auto', { INFERENCE_BACKEND: 'auto' }, FaceEmbeddingBackend],
    ['auto without faces', 'auto', { INFERENCE_BACKEND: 'auto', ONNX_EMBEDDINGS: 'false' }, AutoRoutingBackend],
    ['simulated', 'simulated', { INFERENCE_BACKEND: 'simulated' }, SimulatedBackend],
  ])('INFERENCE_BACKEND %s builds the %s backend', async (_label, name, env, type) => {
    const backend = await selectWorkerBackend(loadWorkerConfig(env), () => undefined);
    expect(backend).toBeInstanceOf(type);
    expect(backend.name).toBe(name);
    await backend.close();
  });

  it('a frame reference without `faces` asks for no face embedding (identity off is the default)', () => {
    const ref = { frameId: 'f', cameraId: 'c', seq: 0, deadline: null, bytesKey: 'k', perception: 'SCENE' };
    expect(frameRefSchema.parse(ref).faces).toBe(false);
    expect(frameRefSchema.parse({ ...ref, faces: true }).faces).toBe(true);
    expect(frameRefSchema.safeParse({ ...ref, faces: 'yes' }).success).toBe(false);
  });

  it('rejects an unknown INFERENCE_BACKEND naming the variable', () => {
    expect(() => loadWorkerConfig({ INFERENCE_BACKEND: 'tensorrt' })).toThrow(/INFERENCE_BACKEND/);
  });
});
