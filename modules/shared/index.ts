export * from './domain/clock';
export * from './domain/app-error';
export * from './domain/cli-command';
export * from './domain/drop-reason';
export * from './domain/simulated-frame.codec';
export * from './graphql/scopes';
export * from './graphql/graphql-context';
export * from './graphql/relay-connection';
