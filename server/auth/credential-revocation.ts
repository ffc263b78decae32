import { z } from 'zod';
import type { CredentialRevocation } from './auth.service';

/** Pub/sub topic on which every server process hears of revoked credentials. */
export const CREDENTIAL_REVOKED_TOPIC = 'CREDENTIAL_REVOKED';

const RevocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('apiKey'), id: z.string().min(1), prefix: z.string().min(1) }),
  z.object({ kind: z.literal('session'), familyId: z.string().min(1) }),
]);

/** A revocation as it arrives from Redis (another process's JSON), or null when malformed. */
export function parseCredentialRevocation(message: unknown): CredentialRevocation | null {
  const parsed = RevocationSchema.safeParse(message);
  return parsed.success ? parsed.data : null;
}
