import { assertCameraUrlAllowedOrThrow, IngestError, IngestErrorCode, redactUrl, UrlAllowlist, type CheckedUrl, type HostResolver } from '@trinetra/ingest';
import { BillingError, BillingErrorCode } from '../domain/billing.error';

/** Schemes a webhook URL may use. */
export const WEBHOOK_URL_SCHEMES = ['https:', 'http:'] as const;

/** How the SSRF guard runs for webhooks (the server gives real DNS and the host's own addresses). */
export interface WebhookUrlGuard {
  resolveHost: HostResolver;
  /** The host's own interface addresses, refused like loopback; read at every check. */
  selfAddresses(): readonly string[];
}

/**
 * Checks a webhook URL with ingest's SSRF guard (modules/ingest/domain/url-guard.ts: one guard
 * for every URL a tenant gives us) after refusing any scheme but http(s). Runs at registration
 * and again before every delivery attempt, whose connection then goes to the addresses checked
 * here (infra/http-webhook.sender.ts), so DNS cannot answer differently in between.
 *
 * @throws BillingError WEBHOOK_URL_INVALID or WEBHOOK_URL_BLOCKED, with `field: 'url'`.
 */
export async function assertWebhookUrlAllowedOrThrow(rawUrl: string, allowlist: readonly string[], guard: WebhookUrlGuard): Promise<CheckedUrl> {
  let scheme: string;
  try {
    scheme = new URL(rawUrl).protocol;
  } catch {
    throw new BillingError(BillingErrorCode.WEBHOOK_URL_INVALID, 'url: not a valid URL', { field: 'url' });
  }
  if (!(WEBHOOK_URL_SCHEMES as readonly string[]).includes(scheme)) {
    throw new BillingError(BillingErrorCode.WEBHOOK_URL_INVALID, `url: the scheme must be https: or http:, got ${scheme}`, { field: 'url', scheme });
  }
  try {
    return await assertCameraUrlAllowedOrThrow(rawUrl, new UrlAllowlist(allowlist), guard.resolveHost, { selfAddresses: guard.selfAddresses() });
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    const { host, address, range } = error.details as { host?: string; address?: string; range?: string };
    if (error.code === IngestErrorCode.URL_ADDRESS_BLOCKED) {
      throw new BillingError(
        BillingErrorCode.WEBHOOK_URL_BLOCKED,
        `url: host ${host} resolves to ${address} (${String(range).replace('_', '-')}), which is refused unless the tenant's network allowlist names it`,
        { field: 'url', host, address, range },
      );
    }
    if (error.code === IngestErrorCode.URL_UNRESOLVABLE)
      throw new BillingError(BillingErrorCode.WEBHOOK_URL_INVALID, `url: host ${host} does not resolve`, { field: 'url', host });
    throw new BillingError(BillingErrorCode.WEBHOOK_URL_INVALID, `url: not an acceptable URL (${redactUrl(rawUrl)})`, { field: 'url' });
  }
}
