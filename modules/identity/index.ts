// The public API of @trinetra/identity: what other packages use, nothing more (docs/ARCHITECTURE.md,
// "Module boundaries"). Add a name here when another package needs it.
export { type FaceEmbeddingPort, type FacePhotoResult } from './application/face-embedding.port';
export { type CameraOffsets, GalleryMatcher, type MatchQuery, MODEL_THRESHOLDS, type WeakMatchEvent } from './application/gallery-matcher';
export { IdentityMetrics } from './application/identity-metrics';
export { IdentitySightingsService, type TrackSighting, type TrackSightingOutcome } from './application/identity-sightings.service';
export { IdentityError, IdentityErrorCode } from './domain/identity.error';
export { FACERES_THRESHOLDS, fBetaThreshold } from './domain/matching-policy';
export { type MatchDecision, type MatchThresholds } from './domain/open-set-matcher';
export { TrackIdentityVote, type TrackIdentity } from './domain/track-identity-vote';
export { type GalleryEntry, calibrateThresholds, matchFace } from './domain/open-set-matcher';
export { type LabelledEmbedding, median, pairScores, rocAuc, rocCurve, trueAcceptAtZeroFalseAccept } from './domain/verification-metrics';
export { type IndexedVector, type VectorHit, type VectorIndex } from './application/vector-index.port';
export { HnswVectorIndex } from './infra/hnsw-vector-index';
export { MilvusVectorIndex } from './infra/milvus-vector-index';
export { calibrate, type CalibrationReport, formatCalibrationReport } from './application/calibration';
export { identityCliCommands } from './cli/identity.cli';
export { createIdentityModule, type IdentityDeps, type IdentityModule } from './identity.module';
export { type GalleryRefresher, type IdentityMatchedEvent, type IdentityMatchedPublisher, type IdentityVisitEvent, type IdentityWeakMatchEvent, type LiveFaceSighting, LiveTrackIdentifier, type PersonVisits } from './application/live-track-identifier';
export { PrismaPersonVisits, VISIT_GAP_MS } from './infra/person-visit.store';
export { LiveIdentityResolver } from './graphql/live-identity.resolver';
export { PrismaPersonNames, PubSubIdentityMatchedPublisher } from './infra/live-identity.adapters';
