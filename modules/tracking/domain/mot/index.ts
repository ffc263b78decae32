export * from './mot.error';
export * from './linear-assignment';
