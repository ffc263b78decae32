// The public API of @trinetra/identity: what other packages use, nothing more (docs/ARCHITECTURE.md,
// "Module boundaries"). Add a name here when another package needs it.
export { type FaceEmbeddingPort } from './application/face-embedding.port';
export { type GalleryEntry, calibrateThresholds, matchFace } from './domain/open-set-matcher';
export { type LabelledEmbedding, median, pairScores, rocAuc, rocCurve, trueAcceptAtZeroFalseAccept } from './domain/verification-metrics';
export { createIdentityModule } from './identity.module';
