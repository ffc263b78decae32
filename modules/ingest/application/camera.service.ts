import { lookup } from 'node:dns/promises';
import { networkInterfaces } from 'node:os';
import type { CameraStatus } from '@trinetra/db';
import { type CameraPerception, type Cursor, defaultPerceptionFor, InvalidInputError, NotFoundError, type Page, type QuotaGate } from '@trinetra/shared';
import { assertCameraUrlAllowedOrThrow, type CheckedUrl, type HostResolver, UrlAllowlist } from '../domain/url-guard';
import type { CameraRepository, CameraRow } from '../infra/camera.repository';
import type { CameraRuntime } from './camera-status-events';
import type { CameraStatusRecorder } from './camera-status.recorder';
import type { CameraInput, CameraPatch } from './camera.input';
import type { MediaAccess } from './media-access';
import { parseSimulatorUrl } from '../sources/simulator-url';
import type { SourceProbe } from '../sources/source-probe';
import { IngestError } from '../domain/ingest.error';

/** Resolves a host name to all its addresses (A and AAAA). */
export const dnsResolver: HostResolver = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/** This host's own interface addresses (read at each call: interfaces come and go), for the SSRF guard. */
export function hostInterfaceAddresses(): string[] {
  return Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address.replace(/%.*$/, '')));
}

/** Checks a camera URL with the SSRF guard as the server runs it: real DNS, the host's own addresses refused. */
export function assertServerCameraUrlAllowedOrThrow(url: string, allowlist: readonly string[], resolveHost: HostResolver = dnsResolver): Promise<CheckedUrl> {
  return assertCameraUrlAllowedOrThrow(url, new UrlAllowlist(allowlist), resolveHost, { selfAddresses: hostInterfaceAddresses() });
}

/** Tiles are the SCENE detector's; asking for them on a close-up camera is a mistake worth saying. */
/**
 * The columns to write when a request sets `identity`: turning it on records who consented and
 * when (kept while it stays on), turning it off clears the record. Nothing when it is not set.
 */
function identityConsent(
  wanted: boolean | undefined,
  current: boolean,
  actor: string | undefined,
): { identity?: boolean; identityConsentBy?: string | null; identityConsentAt?: Date | null } {
  if (wanted === undefined || wanted === current) return {};
  if (!wanted) return { identity: false, identityConsentBy: null, identityConsentAt: null };
  if (!actor) throw new InvalidInputError('turning identity on records who consented: no actor given', { field: 'identity' });
  return { identity: true, identityConsentBy: actor, identityConsentAt: new Date() };
}

function assertTiledFitsPerception(perception: CameraPerception, tiled: boolean): void {
  if (tiled && perception !== 'SCENE') throw new InvalidInputError(`tiled is a SCENE setting; this camera's perception is ${perception}`, { field: 'tiled' });
}

/** Collaborators of {@link CameraService} beyond its repository. */
export interface CameraServiceOptions {
  /** Decides which server files FILE cameras may open. */
  media: MediaAccess;
  /** Default: the system resolver. */
  resolveHost?: HostResolver;
  /** The plan's `cameras` limit, checked before a create (billing-safe implements it); none: unlimited. */
  quotas?: QuotaGate;
  /** Checks that a FILE decodes and a NETWORK camera answers; none: only the access checks run. */
  probe?: SourceProbe;
}

/**
 * Camera lifecycle for one tenant at a time: CRUD, desired state, status changes. Every source
 * is checked before it is stored, on create and on every update that touches kind or URL:
 * network URLs pass the SSRF guard against the tenant's allowlist, file paths must resolve
 * inside the tenant's media roots ({@link MediaAccess}).
 */
export class CameraService {
  private readonly resolveHost: HostResolver;

  constructor(
    private readonly cameras: CameraRepository,
    private readonly statuses: CameraStatusRecorder,
    private readonly runtime: CameraRuntime | null,
    private readonly options: CameraServiceOptions,
  ) {
    this.resolveHost = options.resolveHost ?? dnsResolver;
  }

  list(tenantId: string, take: number, after: Cursor | null): Promise<Page<CameraRow>> {
    return this.cameras.page(tenantId, take, after);
  }

  async getOrThrow(tenantId: string, id: string): Promise<CameraRow> {
    const camera = await this.cameras.findById(tenantId, id);
    if (!camera) throw new NotFoundError('Camera', id);
    return camera;
  }

  /**
   * `actor` (`user:<id>` / `apiKey:<id>`) is who consents when `identity` is turned on: the
   * camera records them and the time. Turning identity off clears the record.
   */
  async create(tenantId: string, input: CameraInput, actor?: string): Promise<CameraRow> {
    await this.checkSource(tenantId, input.sourceKind, input.sourceUrl);
    await this.options.quotas?.assertWithinOrThrow(tenantId, 'cameras');
    const perception = input.perception ?? defaultPerceptionFor(input.sourceKind);
    const tiled = input.tiled ?? false;
    assertTiledFitsPerception(perception, tiled);
    return this.cameras.create(tenantId, { ...input, sourceUrl: input.sourceUrl ?? null, perception, tiled, ...identityConsent(input.identity, false, actor) });
  }

  async update(tenantId: string, id: string, patch: CameraPatch, actor?: string): Promise<CameraRow> {
    const current = await this.getOrThrow(tenantId, id);
    const sourceKind = patch.sourceKind ?? current.sourceKind;
    const sourceUrl = patch.sourceUrl === undefined ? current.sourceUrl : patch.sourceUrl;
    if (patch.sourceKind !== undefined || patch.sourceUrl !== undefined) await this.checkSource(tenantId, sourceKind, sourceUrl);
    const perception = patch.perception ?? current.perception;
    // Leaving SCENE switches tiles off unless the caller asked for them (then it is an error).
    const tiled = patch.tiled ?? (perception === 'SCENE' ? current.tiled : false);
    assertTiledFitsPerception(perception, tiled);
    const updated = await this.cameras.update(tenantId, id, {
      ...patch,
      ...(tiled !== current.tiled ? { tiled } : {}),
      ...identityConsent(patch.identity, current.identity, actor),
    });
    if (!updated) throw new NotFoundError('Camera', id);
    // A running camera picks up its new tier, rate, source or perception at once.
    if (updated.desiredStatus === 'RUNNING') await this.runtime?.start(updated);
    return updated;
  }

  async delete(tenantId: string, id: string): Promise<CameraRow> {
    const camera = await this.getOrThrow(tenantId, id);
    // Always: an upload camera can be running in the runtime whatever its desired state says.
    await this.runtime?.stop(camera);
    if (!(await this.cameras.delete(tenantId, id))) throw new NotFoundError('Camera', id);
    return camera;
  }

  async start(tenantId: string, id: string): Promise<CameraRow> {
    await this.assertMayStart(tenantId, await this.getOrThrow(tenantId, id));
    await this.cameras.update(tenantId, id, { desiredStatus: 'RUNNING' });
    const camera = await this.setStatus(tenantId, id, 'CONNECTING', null);
    await this.runtime?.start(camera);
    return this.getOrThrow(tenantId, id);
  }

  /**
   * Plan quotas at start (docs/QUOTAS.md): one more stream must fit `concurrent_streams`, and a
   * BILLING camera, whose frames are never dropped once it runs, must find the month's frame
   * allowance not used up: it is refused here rather than cut off mid-stream.
   */
  private async assertMayStart(tenantId: string, camera: CameraRow): Promise<void> {
    if (camera.desiredStatus !== 'RUNNING') await this.options.quotas?.assertWithinOrThrow(tenantId, 'concurrent_streams');
    if (camera.tier === 'BILLING') await this.options.quotas?.assertWithinOrThrow(tenantId, 'frames_per_month');
  }

  async stop(tenantId: string, id: string): Promise<CameraRow> {
    const camera = await this.getOrThrow(tenantId, id);
    await this.cameras.update(tenantId, id, { desiredStatus: 'STOPPED' });
    await this.runtime?.stop(camera);
    return this.setStatus(tenantId, id, 'STOPPED', null);
  }

  /** Records an actual status and tells subscribers. */
  setStatus(tenantId: string, id: string, status: CameraStatus, reason: string | null): Promise<CameraRow> {
    return this.statuses.record(tenantId, id, status, reason);
  }

  private async checkSource(tenantId: string, kind: CameraRow['sourceKind'], url: string | null | undefined): Promise<void> {
    switch (kind) {
      case 'NETWORK': {
        const checked = await assertServerCameraUrlAllowedOrThrow(url ?? '', await this.cameras.tenantAllowlist(tenantId), this.resolveHost);
        await this.options.probe?.network(checked);
        return;
      }
      case 'FILE': {
        const real = await this.options.media.resolveOrThrow(tenantId, url ?? '').catch((error: unknown) => {
          // The same one message (no existence oracle), naming the field the dashboard marks.
          if (error instanceof IngestError) throw new IngestError(error.code, error.message, { field: 'sourceUrl', statusReason: 'SOURCE_NOT_FOUND' });
          throw error;
        });
        await this.options.probe?.file(real);
        return;
      }
      case 'SIMULATOR':
        parseSimulatorUrl(url);
        return;
      case 'UPLOAD':
        // No server-side input: the URL is not used (control characters were refused at the edge).
        return;
    }
  }
}
