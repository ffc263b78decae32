export * from './inference/inference-backend';
export * from './worker/frame-batch.contract';
export * from './models/model-catalog';
export * from './models/model-preparation.error';
export { ensurePreparedModels, defaultModelCacheDir, type PreparedModel, type EnsurePreparedModelsOptions } from './models/prepared-model.store';
export * from './inference/inference.error';
export * from './inference/create-inference-backend';
export { workerCpuPlan, type WorkerCpuPlan } from './inference/cpu-plan';
export { OnnxPoseBackend, OnnxMoveNetBackend } from './inference/onnx-pose.backend';
