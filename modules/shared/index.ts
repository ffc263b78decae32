export * from './domain/clock';
export * from './domain/app-error';
export * from './domain/cli-command';
export * from './domain/drop-reason';
export * from './domain/simulated-frame.codec';
