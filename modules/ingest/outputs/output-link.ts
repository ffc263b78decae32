import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** Where batch outputs are downloaded on the API server: `GET /outputs/<jobId>`. */
export const OUTPUTS_PATH_PREFIX = '/outputs/';

/** What a valid signed link names. */
export interface SignedOutput {
  tenantId: string;
  jobId: string;
}

export interface OutputLinkSignerOptions {
  /** How long a link works, seconds. Default 900 (15 minutes). */
  ttlSeconds?: number;
}

/**
 * Short-lived signed download links for batch outputs (docs/SECURITY.md, "Batch output
 * downloads"): `/outputs/<jobId>?tenant=<tenantId>&expires=<unix s>&sig=<hex>`, the signature an
 * HMAC-SHA256 over tenant, job and expiry with a key derived (HKDF) from the server's secret,
 * so a link cannot be moved to another job, another tenant or a later time. A link is a bearer
 * credential for one file for a few minutes: it lets a browser download with a plain `<a href>`
 * (no Authorization header), and expires before it is worth stealing from a log.
 */
export class OutputLinkSigner {
  private readonly key: Buffer;
  private readonly ttlSeconds: number;

  constructor(serverSecret: string, options: OutputLinkSignerOptions = {}) {
    this.key = Buffer.from(hkdfSync('sha256', serverSecret, 'trinetra', 'batch-output-link/v1', 32));
    this.ttlSeconds = options.ttlSeconds ?? 900;
  }

  /** The link, relative to the API server's origin. */
  sign(tenantId: string, jobId: string, nowMs: number = Date.now()): { path: string; expiresAt: Date } {
    const expires = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const query = new URLSearchParams({ tenant: tenantId, expires: String(expires), sig: this.mac(tenantId, jobId, expires) });
    return { path: `${OUTPUTS_PATH_PREFIX}${encodeURIComponent(jobId)}?${query.toString()}`, expiresAt: new Date(expires * 1000) };
  }

  /** The tenant and job a link names, or null when it is forged, altered or expired. */
  verify(jobId: string, query: URLSearchParams, nowMs: number = Date.now()): SignedOutput | null {
    const tenantId = query.get('tenant');
    const expiresText = query.get('expires');
    const sig = query.get('sig');
    if (!tenantId || !expiresText || !sig || !/^\d{1,12}$/.test(expiresText) || !/^[0-9a-f]{64}$/.test(sig)) return null;
    const expires = Number(expiresText);
    if (expires * 1000 < nowMs) return null;
    const expected = Buffer.from(this.mac(tenantId, jobId, expires), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return null;
    return { tenantId, jobId };
  }

  private mac(tenantId: string, jobId: string, expires: number): string {
    // Newline-separated: no field can contain one (UUIDs and digits), so fields cannot shift.
    return createHmac('sha256', this.key).update(`${tenantId}\n${jobId}\n${expires}`).digest('hex');
  }
}
