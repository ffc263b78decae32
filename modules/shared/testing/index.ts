/** Test support shared by every workspace's tests (`@trinetra/shared/testing`); never imported by production code. */
export * from './test-inputs';
