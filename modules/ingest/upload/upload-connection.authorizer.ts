import { hasScope, NotFoundError, type CameraTier, type Principal } from '@trinetra/shared';
import { IngestCloseCode } from './ingest-close-code';

/** Subprotocol clients may offer; the server selects it when offered. */
export const INGEST_SUBPROTOCOL = 'trinetra-ingest.v1';
/** Prefix of the subprotocol entry that carries a credential (`bearer.<token or key>`). */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';

/** The parts of the upgrade request the authorizer reads. */
export interface UploadConnectionRequest {
  /** The request URL's query (`cameraId`, `token`). */
  query: URLSearchParams;
  authorizationHeader?: string | undefined;
  /** Offered subprotocols, in order. */
  protocols?: readonly string[];
}

/** The camera as the upload socket needs it. */
export interface UploadCamera {
  id: string;
  tier: CameraTier;
  sourceKind: string;
  targetFps: number;
}

/** What the authorizer calls; the composition root binds AuthService and the camera repository. */
export interface UploadAuthDeps {
  /** The single auth path: `Bearer <access token | API key>` to a Principal; throws on a bad credential. */
  authenticate(authorization: string): Promise<Principal | null>;
  /** The tenant's camera, or null (foreign and unknown alike). */
  findCamera(tenantId: string, cameraId: string): Promise<UploadCamera | null>;
}

export type UploadAuthorization =
  | { ok: true; principal: Principal; camera: UploadCamera }
  | { ok: false; code: IngestCloseCode; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The credential of a connection as an `Authorization` value, from (first match wins) the
 * `Authorization` header, a `bearer.<credential>` subprotocol, or the `token` query parameter
 * (browsers cannot set headers on a WebSocket).
 */
export function credentialOf(request: UploadConnectionRequest): string | null {
  if (request.authorizationHeader) return request.authorizationHeader;
  const fromProtocol = request.protocols?.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX))?.slice(BEARER_SUBPROTOCOL_PREFIX.length);
  if (fromProtocol) return `Bearer ${fromProtocol}`;
  const token = request.query.get('token');
  return token ? `Bearer ${token}` : null;
}

/** Whether a camera takes frames from the upload socket. */
export function acceptsUploads(camera: Pick<UploadCamera, 'tier' | 'sourceKind'>): boolean {
  return camera.sourceKind === 'UPLOAD' || camera.tier === 'LIVE';
}

/**
 * Decides whether an upgrade request may open an upload connection, before any frame is read:
 * a valid credential (4401), the `ingest` scope (4403), a camera of the principal's tenant
 * (4404 for unknown, malformed and foreign ids alike: no existence leak) that takes uploads (4409).
 */
export async function authorizeUploadConnection(request: UploadConnectionRequest, deps: UploadAuthDeps): Promise<UploadAuthorization> {
  const credential = credentialOf(request);
  if (!credential) return { ok: false, code: IngestCloseCode.Unauthorized, reason: 'send a token: ?token=, an Authorization header or a bearer.<token> subprotocol' };
  let principal: Principal | null;
  try {
    principal = await deps.authenticate(credential);
  } catch (error) {
    return { ok: false, code: IngestCloseCode.Unauthorized, reason: error instanceof Error ? error.message : 'invalid credential' };
  }
  if (!principal) return { ok: false, code: IngestCloseCode.Unauthorized, reason: 'invalid credential' };
  if (!hasScope(principal, 'ingest')) return { ok: false, code: IngestCloseCode.Forbidden, reason: "the credential lacks the 'ingest' scope" };
  const cameraId = request.query.get('cameraId') ?? '';
  const camera = UUID.test(cameraId) ? await deps.findCamera(principal.tenantId, cameraId) : null;
  if (!camera) return { ok: false, code: IngestCloseCode.NotFound, reason: `camera ${cameraId.slice(0, 64)} not found` };
  if (!acceptsUploads(camera)) return { ok: false, code: IngestCloseCode.CameraNotUploadable, reason: `camera ${camera.id} does not take uploads (source ${camera.sourceKind}, tier ${camera.tier})` };
  return { ok: true, principal, camera };
}

/**
 * Adapts a camera service's `getOrThrow` (NOT_FOUND for unknown and foreign ids) to
 * {@link UploadAuthDeps.findCamera}.
 */
export function uploadCameraLookup(cameras: { getOrThrow(tenantId: string, id: string): Promise<UploadCamera> }): UploadAuthDeps['findCamera'] {
  return async (tenantId, id) => {
    try {
      return await cameras.getOrThrow(tenantId, id);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  };
}
