export * from './keypoint-layout';
export * from './one-euro.filter';
export * from './pose-smoother';
export * from './pose-smoothing.metrics';
export * from './track-quality.scorer';
