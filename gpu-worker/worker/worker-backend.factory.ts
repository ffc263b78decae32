import type { InferenceBackend } from '../inference/inference-backend';
import { AutoRoutingBackend } from './auto-routing.backend';
import { SimulatedBackend } from './simulated.backend';
import type { WorkerConfig } from './worker.config';

/** Loads the ONNX factory on demand, so a worker that never runs a real model never loads onnxruntime. */
async function createOnnxBackend(config: WorkerConfig, warn: (message: string) => void): Promise<InferenceBackend> {
  const { createInferenceBackend } = await import('../inference/create-inference-backend.js');
  return createInferenceBackend(config.onnx, { warn });
}

/**
 * Builds the backend the configuration names: `simulated`, `onnx` (loaded now, so a missing
 * or wrong model file stops start-up) or `auto` (see {@link AutoRoutingBackend}: the ONNX
 * backend is loaded on the first frame without simulated ground truth).
 */
export async function selectWorkerBackend(config: WorkerConfig, warn: (message: string) => void): Promise<InferenceBackend> {
  switch (config.backend) {
    case 'simulated':
      return new SimulatedBackend(config.simulated);
    case 'onnx':
      return createOnnxBackend(config, warn);
    case 'auto':
      // TODO(scene): SCENE gets the detector + top-down pose backend (next commit); MultiPose meanwhile.
      return new AutoRoutingBackend({
        simulated: new SimulatedBackend(config.simulated),
        load: { SCENE: () => createOnnxBackend(config, warn), CLOSE_UP: () => createOnnxBackend(config, warn) },
        warn,
      });
  }
}
