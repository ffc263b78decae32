import type * as OnnxFactory from '../inference/create-inference-backend';
import type { InferenceBackend } from '../inference/inference-backend';
import { SimulatedBackend } from './simulated.backend';
import type { WorkerConfig } from './worker.config';

/**
 * Builds the backend the configuration names. The ONNX factory is loaded lazily so a
 * `simulated` worker never loads onnxruntime.
 */
export async function selectWorkerBackend(config: WorkerConfig, warn: (message: string) => void): Promise<InferenceBackend> {
  switch (config.backend) {
    case 'simulated':
      return new SimulatedBackend(config.simulated);
    case 'onnx': {
      // Loaded on demand (a CommonJS require keeps it lazy under any module setting).
      const { createInferenceBackend } = require('../inference/create-inference-backend') as typeof OnnxFactory;
      return createInferenceBackend(config.onnx, { warn });
    }
  }
}
