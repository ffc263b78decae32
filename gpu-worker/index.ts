// The public API of @trinetra/gpu-worker: what other packages use, nothing more (docs/ARCHITECTURE.md,
// "Module boundaries"). Add a name here when another package needs it.
export { workerCpuPlan } from './inference/cpu-plan';
export { createInferenceBackend } from './inference/create-inference-backend';
export { FaceDescriptorEmbedder, FACE_DESCRIPTOR_SIDE, faceDescriptorInput, loadFaceDescriptorEmbedder } from './inference/face-descriptor.embedder';
export { FaceDetector, alignDetectedFace, loadFaceDetector } from './inference/face-detector';
export { type DetectedFace } from './postprocess/blazeface.decoder';
export { FACE_TEMPLATE, type FaceTemplate, faceAlignment, sampleAlignedFaceInto } from './preprocess/face-alignment';
export { type FrameRaster, decodeFrame } from './preprocess/frame-raster';
export { type InferenceBackend } from './inference/inference-backend';
export {
  FRAME_BATCH_JOB,
  type FrameBatchJob,
  type FrameDetections,
  type FramePerception,
  type FrameReport,
  REPORTS_FIELD,
  frameBytesKey,
  frameReportSchema,
} from './worker/frame-batch.contract';
