import type { IdentityErrorCode } from '../domain/identity.error';

/** One photo's outcome: its face embedding, or why it cannot be enrolled. */
export type FacePhotoResult = { ok: true; embedding: number[] } | { ok: false; code: IdentityErrorCode; message: string };

/**
 * Turns face photos into embeddings, one result per photo (a bad photo is a result, not a
 * throw, so the caller can name every bad photo at once and enrol nothing). Implemented by the
 * server with the worker's FaceRes embedder (gpu-worker/inference/face-descriptor.embedder.ts);
 * identity never loads a model. Photos are never stored: only the vectors leave this port.
 */
export interface FaceEmbeddingPort {
  /** The embedder's name, stored with each embedding (`faceres`). */
  readonly model: string;
  embedFacePhotos(photos: readonly Buffer[]): Promise<FacePhotoResult[]>;
}
