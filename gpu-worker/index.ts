export * from './inference/inference-backend';
export * from './worker/frame-batch.contract';
