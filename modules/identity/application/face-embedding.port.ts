/**
 * Turns face photos into embeddings. Implemented by the server with the worker's FaceRes
 * embedder (gpu-worker/inference/face-descriptor.embedder.ts); identity never loads a model.
 * Undecodable bytes are the caller's fault and must be thrown as InvalidInputError.
 */
export interface FaceEmbeddingPort {
  /** The embedder's name, stored with each embedding (`faceres`). */
  readonly model: string;
  embedFaces(photos: readonly Buffer[]): Promise<number[][]>;
}
