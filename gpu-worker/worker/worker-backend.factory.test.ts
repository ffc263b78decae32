import { AutoRoutingBackend } from './auto-routing.backend';
import { SimulatedBackend } from './simulated.backend';
import { selectWorkerBackend } from './worker-backend.factory';
import { loadWorkerConfig } from './worker.config';

describe('selectWorkerBackend', () => {
  it.each([
    ['unset', 'auto', {}, AutoRoutingBackend],
    ['auto', 'auto', { INFERENCE_BACKEND: 'auto' }, AutoRoutingBackend],
    ['simulated', 'simulated', { INFERENCE_BACKEND: 'simulated' }, SimulatedBackend],
  ])('INFERENCE_BACKEND %s builds the %s backend', async (_label, name, env, type) => {
    const backend = await selectWorkerBackend(loadWorkerConfig(env), () => undefined);
    expect(backend).toBeInstanceOf(type);
    expect(backend.name).toBe(name);
    await backend.close();
  });

  it('rejects an unknown INFERENCE_BACKEND naming the variable', () => {
    expect(() => loadWorkerConfig({ INFERENCE_BACKEND: 'tensorrt' })).toThrow(/INFERENCE_BACKEND/);
  });
});
