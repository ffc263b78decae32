import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ManifestFileAccess } from './manifest-import';

/** {@link ManifestFileAccess} over the local file system (streams the hash; videos are large). */
export const nodeFileAccess: ManifestFileAccess = {
  async isFile(path) {
    try {
      return (await stat(path)).isFile();
    } catch {
      return false;
    }
  },
  sha1(path) {
    return new Promise((resolve, reject) => {
      const hash = createHash('sha1');
      createReadStream(path)
        .on('data', (chunk) => hash.update(chunk))
        .on('error', reject)
        .on('end', () => resolve(hash.digest('hex')));
    });
  },
};
