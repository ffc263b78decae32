export * from './inference/inference-backend';
