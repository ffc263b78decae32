import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { IngestError, IngestErrorCode } from '../domain/ingest.error';
import { hasControlCharacters, isWithin, mediaRootsOf, type MediaRoots } from '../domain/media-roots';

/** Options of {@link MediaAccess}. */
export interface MediaAccessOptions {
  /** Operator-configured roots (`MEDIA_ROOTS`). */
  roots: MediaRoots;
  /** Every tenant may read `<dataDir>/media/<tenantId>/` (its own storage area). */
  dataDir: string;
}

/**
 * The one message for "outside the roots" and "does not exist" (and "not a regular file"):
 * a tenant must not learn which paths exist on the server.
 */
export const MEDIA_UNAVAILABLE_MESSAGE = "the video path is not available: it does not exist or is outside this tenant's media folders";

/**
 * Decides which server files a tenant's FILE cameras and manifest rows may open: a path is
 * resolved to its real path (symlinks and `..` followed) and must then be a regular file under
 * one of the tenant's roots, themselves resolved the same way. Callers open the returned real
 * path, never the text the tenant sent, so a symlink cannot point elsewhere after the check
 * (the remaining window is a symlink swapped into a root between check and open, which needs
 * write access to the root: tenants have none).
 */
export class MediaAccess {
  constructor(private readonly options: MediaAccessOptions) {}

  /** The tenant's own storage area (it may not exist yet). */
  storageAreaOf(tenantId: string): string {
    return join(this.options.dataDir, 'media', tenantId);
  }

  /**
   * The real path of a readable file of this tenant.
   * @throws IngestError MEDIA_UNAVAILABLE with {@link MEDIA_UNAVAILABLE_MESSAGE}, whatever the reason.
   */
  async resolveOrThrow(tenantId: string, path: string): Promise<string> {
    const real = await this.resolve(tenantId, path);
    if (real === null) throw new IngestError(IngestErrorCode.MEDIA_UNAVAILABLE, MEDIA_UNAVAILABLE_MESSAGE);
    return real;
  }

  /** Like {@link resolveOrThrow}, but null instead of throwing. */
  async resolve(tenantId: string, path: string): Promise<string | null> {
    if (!isAbsolute(path) || hasControlCharacters(path)) return null;
    const real = await realpath(path).catch(() => null);
    if (real === null) return null;
    const roots = await this.realRootsOf(tenantId);
    if (!roots.some((root) => isWithin(root, real))) return null;
    const info = await stat(real).catch(() => null);
    return info?.isFile() ? real : null;
  }

  private async realRootsOf(tenantId: string): Promise<string[]> {
    const roots = [this.storageAreaOf(tenantId), ...mediaRootsOf(this.options.roots, tenantId)];
    const real = await Promise.all(roots.map((r) => realpath(r).catch(() => null)));
    return real.filter((r): r is string => r !== null);
  }
}
