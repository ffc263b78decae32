export * from './mot-challenge.parser';
export * from './mot-metrics';
