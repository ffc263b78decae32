export {};
export * from './domain/source-frame';
export * from './domain/frame-source';
export * from './domain/camera-tier';
export * from './domain/ingest.error';
export * from './sources/simulator-scene';
export * from './sources/simulator.source';
