export * from './domain/clock';
export * from './domain/app-error';
export * from './domain/cli-command';
