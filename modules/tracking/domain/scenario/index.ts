export * from './seeded-random';
export * from './scenario.generator';
export * from './noisy-detections';
