import { type FaceDescriptorEmbedder, faceDescriptorInput, loadFaceDescriptorEmbedder } from '@trinetra/gpu-worker';
import type { FaceEmbeddingPort } from '@trinetra/identity';
import { InvalidInputError } from '@trinetra/shared';

/**
 * Enrolment's embedder: the worker's FaceRes model run in the server process, loaded (and
 * prepared, if missing) on the first enrolment, so a server that never enrols loads nothing.
 * Enrolment is rare and at most three photos; live matching belongs in the worker.
 */
export class LazyFaceEmbedder implements FaceEmbeddingPort {
  readonly model = 'faceres';
  private loading: Promise<FaceDescriptorEmbedder> | null = null;

  constructor(private readonly options: { modelCacheDir?: string } = {}) {}

  async embedFaces(photos: readonly Buffer[]): Promise<number[][]> {
    const crops = await Promise.all(
      photos.map((photo, i) =>
        faceDescriptorInput(photo).catch((error: unknown) => {
          throw new InvalidInputError(`photos[${i}] is not a decodable image: ${error instanceof Error ? error.message : String(error)}`);
        }),
      ),
    );
    this.loading ??= loadFaceDescriptorEmbedder(this.options.modelCacheDir ? { cacheDir: this.options.modelCacheDir } : {}).catch((error: unknown) => {
      this.loading = null;
      throw error;
    });
    return (await this.loading).embed(crops);
  }
}
