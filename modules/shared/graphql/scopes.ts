/** Every permission an API key or user can hold. `admin` implies all others. */
export const SCOPES = [
  'cameras:read',
  'cameras:write',
  'ingest',
  'analytics:read',
  'identity:admin',
  /** People and the identity audit log (biometric data: not in MEMBER's defaults). */
  'identity:read',
  /** Enrol and erase people. */
  'identity:write',
  'billing:read',
  'webhooks:write',
  /** The tenant's members and pending invites (server/auth/roles.ts). */
  'members:read',
  /** Invite, change the role of and remove members (granting or touching OWNER needs `admin`). */
  'members:write',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Who is calling: a signed-in user (through an access token) or an API key. */
export interface Principal {
  kind: 'user' | 'apiKey';
  /** User id or API key id. */
  id: string;
  tenantId: string;
  scopes: ReadonlySet<Scope>;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.has('admin') || principal.scopes.has(scope);
}
