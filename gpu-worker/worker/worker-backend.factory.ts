import { FaceEmbeddingBackend } from '../inference/face-embedding.backend';
import type { InferenceBackend } from '../inference/inference-backend';
import { AutoRoutingBackend } from './auto-routing.backend';
import { SimulatedBackend } from './simulated.backend';
import type { WorkerConfig } from './worker.config';

/** Loads the CLOSE_UP (MultiPose) factory on demand, so a worker that never runs a real model never loads onnxruntime. */
async function createCloseUpBackend(config: WorkerConfig, warn: (message: string) => void): Promise<InferenceBackend> {
  const { createInferenceBackend } = await import('../inference/create-inference-backend.js');
  return createInferenceBackend(config.onnx, { warn });
}

/** Loads the SCENE (detector + top-down pose) factory on demand. */
async function createSceneBackend(config: WorkerConfig, warn: (message: string) => void): Promise<InferenceBackend> {
  const { createSceneBackend: create } = await import('../inference/create-scene-backend.js');
  return create(config.scene, { warn });
}

/** A view of a backend that does not close it (the router closes its owner once). */
function borrowed(backend: InferenceBackend): InferenceBackend {
  return { name: backend.name, infer: (frames) => backend.infer(frames), close: async () => undefined };
}

/**
 * Builds the backend the configuration names: `simulated` (ground truth for every frame),
 * `auto` (see {@link AutoRoutingBackend}: routes on each frame's perception and loads each ONNX
 * pipeline on the first frame that needs it) or `onnx` (both pipelines loaded now, so a missing
 * or wrong model file stops start-up; `SIMULATED` frames run MultiPose). Real backends are
 * wrapped in the face stage ({@link FaceEmbeddingBackend}) unless `ONNX_EMBEDDINGS=false`.
 */
export async function selectWorkerBackend(config: WorkerConfig, warn: (message: string) => void): Promise<InferenceBackend> {
  const backend = await selectPoseBackend(config, warn);
  if (!config.faces.enabled || config.backend === 'simulated') return backend;
  return new FaceEmbeddingBackend(backend, {
    loadEmbedder: async () => {
      const { loadFaceDescriptorEmbedder } = await import('../inference/face-descriptor.embedder.js');
      return loadFaceDescriptorEmbedder({ intraOpThreads: config.faces.intraOpThreads });
    },
    warn,
  });
}

async function selectPoseBackend(config: WorkerConfig, warn: (message: string) => void): Promise<InferenceBackend> {
  switch (config.backend) {
    case 'simulated':
      return new SimulatedBackend(config.simulated);
    case 'onnx': {
      const closeUp = await createCloseUpBackend(config, warn);
      const scene = await createSceneBackend(config, warn).catch(async (error: unknown) => {
        await closeUp.close();
        throw error;
      });
      return new AutoRoutingBackend({ name: 'onnx', simulated: borrowed(closeUp), load: { SCENE: async () => scene, CLOSE_UP: async () => closeUp }, warn });
    }
    case 'auto':
      return new AutoRoutingBackend({
        simulated: new SimulatedBackend(config.simulated),
        load: { SCENE: () => createSceneBackend(config, warn), CLOSE_UP: () => createCloseUpBackend(config, warn) },
        warn,
      });
  }
}
