export * from './domain/face-similarity';
export * from './domain/verification-metrics';
export * from './domain/open-set-matcher';
export * from './domain/track-identity-vote';
