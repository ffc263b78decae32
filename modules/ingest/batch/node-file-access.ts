import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { MediaAccess } from '../application/media-access';
import type { ManifestFileAccess } from './manifest-import';

/** SHA-1 hex of a file's bytes (streamed: videos are large). */
export function sha1OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha1');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** A tenant's {@link ManifestFileAccess}, given its id. */
export type TenantFileAccess = (tenantId: string) => ManifestFileAccess;

/** {@link ManifestFileAccess} over the local file system, limited to each tenant's media roots. */
export function mediaFileAccess(media: MediaAccess): TenantFileAccess {
  return (tenantId) => ({
    readableFile: (path) => media.resolve(tenantId, path),
    sha1: sha1OfFile,
  });
}
