export {};
export * from './domain/mot';
export * from './domain/eval';
export * from './domain/scenario';
export * from './cli';
export * from './domain/pose';
export * from './infra/tracker-checkpoint.redis';
export * from './domain/session';
