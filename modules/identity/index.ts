// The public API of @trinetra/identity: what other packages use, nothing more (docs/ARCHITECTURE.md,
// "Module boundaries"). Add a name here when another package needs it.
export { type FaceEmbeddingPort } from './application/face-embedding.port';
export { type GalleryEntry, calibrateThresholds, matchFace } from './domain/open-set-matcher';
export { type LabelledEmbedding, median, pairScores, rocAuc, rocCurve, trueAcceptAtZeroFalseAccept } from './domain/verification-metrics';
export { type IndexedVector, type VectorHit, type VectorIndex } from './application/vector-index.port';
export { HnswVectorIndex } from './infra/hnsw-vector-index';
export { createIdentityModule } from './identity.module';
