import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefix of every signing secret (Standard Webhooks). */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/**
 * A new signing secret: `whsec_` + base64 of 24 random bytes (192 bits, the size Standard
 * Webhooks' reference libraries generate). Shown to the tenant once.
 */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(24).toString('base64');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret, 'base64');
}

/** One signature: `v1,` + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)). */
export function signWebhook(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of one attempt. */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  /** Space-separated signatures, one per valid secret (during rotation: the new one first, then the old one). */
  'webhook-signature': string;
}

/**
 * Signs a message with every currently valid secret. During a rotation's grace period both the
 * new and the previous secret sign, as the spec allows, so receivers still on the old secret
 * keep verifying.
 */
export function webhookHeaders(secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): WebhookHeaders {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signWebhook(s, messageId, timestampSeconds, body)).join(' '),
  };
}

/** True when any `v1` signature of the header matches `secret` (receivers' side; used by our own tests of rotation). */
export function webhookSignatureMatches(secret: string, header: string, messageId: string, timestampSeconds: number, body: string): boolean {
  const expected = Buffer.from(signWebhook(secret, messageId, timestampSeconds, body));
  return header.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
