import type { InferenceBackend } from '../inference/inference-backend';
import { SimulatedBackend } from './simulated.backend';
import type { WorkerConfig } from './worker.config';

/**
 * Builds the backend the configuration names. `onnx` is provided by gpu-worker/inference; until
 * its factory is exported this fails fast at start-up instead of at the first frame.
 */
export async function createInferenceBackend(config: WorkerConfig): Promise<InferenceBackend> {
  switch (config.backend) {
    case 'simulated':
      return new SimulatedBackend(config.simulated);
    case 'onnx':
      throw new Error('INFERENCE_BACKEND=onnx: the ONNX backend factory is not wired into gpu-worker/worker yet');
  }
}
