export * from './mot-challenge.parser';
export * from './mot-metrics';
export * from './hota-metrics';
export * from './track-mot-rows';
export * from './noisy-ground-truth.evaluation';
