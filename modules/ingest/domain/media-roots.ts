import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { IngestError, IngestErrorCode } from './ingest.error';

/**
 * Folders on the server that FILE cameras and manifest rows may read, by tenant. Parsed from the
 * `MEDIA_ROOTS` setting: entries separated by `;`, each `<scope>=<absolute folder>`, where scope
 * is `*` (every tenant) or one tenant id. A scope may appear several times. Example:
 * `*=/srv/media/shared;6f1c…-uuid=/srv/media/acme`. Empty (the default): tenants reach only their
 * own storage area, `<DATA_DIR>/media/<tenantId>/`, which every tenant always has.
 */
export interface MediaRoots {
  /** Roots of every tenant. */
  shared: readonly string[];
  /** Extra roots by tenant id. */
  byTenant: ReadonlyMap<string, readonly string[]>;
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Parses `MEDIA_ROOTS` (pure; `path.normalize` only). Folders must be absolute: a relative root
 * would move with the working directory.
 * @throws IngestError MEDIA_ROOTS_INVALID naming the bad entry.
 */
export function parseMediaRoots(text: string): MediaRoots {
  const shared: string[] = [];
  const byTenant = new Map<string, string[]>();
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const scope = eq < 0 ? '' : entry.slice(0, eq).trim().toLowerCase();
    const folder = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (scope !== '*' && !TENANT_ID.test(scope)) {
      throw new IngestError(IngestErrorCode.MEDIA_ROOTS_INVALID, `MEDIA_ROOTS entry "${entry}" must start with "*=" or "<tenant id>="`);
    }
    if (!isAbsolute(folder) || hasControlCharacters(folder)) {
      throw new IngestError(IngestErrorCode.MEDIA_ROOTS_INVALID, `MEDIA_ROOTS entry "${entry}" must name an absolute folder`);
    }
    const list = scope === '*' ? shared : (byTenant.get(scope) ?? []);
    list.push(normalize(folder));
    if (scope !== '*') byTenant.set(scope, list);
  }
  return { shared, byTenant };
}

/** The configured roots of one tenant (not counting its own storage area). */
export function mediaRootsOf(roots: MediaRoots, tenantId: string): string[] {
  return [...roots.shared, ...(roots.byTenant.get(tenantId.toLowerCase()) ?? [])];
}

/** Whether `path` is `root` or lies below it; both must already be real (resolved) absolute paths. */
export function isWithin(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * C0 controls, DEL and C1 controls: CR/LF smuggle commands into line protocols (Redis via
 * gopher, HTTP headers), NUL truncates paths in C code. No legitimate path or URL has them.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}
