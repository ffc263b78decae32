export * from './seeded-random';
export * from './scenario.generator';
