import type { Scope } from '@trinetra/shared';

/** The roles of a tenant's members, most powerful first (prisma enum UserRole). */
export const ROLES = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof ROLES)[number];

/**
 * THE permission table: what each role may do, as the scopes its access tokens carry. Every
 * resolver declares the scope it needs (`@Authorized('cameras:write')`), so this table alone
 * decides which role may call what; docs/TEAM.md shows it as a table and
 * server/test/role-matrix.int.test.ts checks every mutation of the schema against it.
 *
 * - OWNER holds `admin` (every scope): the only role that may manage API keys (a key can carry
 *   any scope) and grant, change or remove OWNER.
 * - ADMIN runs the tenant: every scope except `admin`.
 * - MEMBER operates cameras, uploads and analyses; reads usage and the team; no identity data,
 *   webhooks or member changes.
 * - VIEWER reads.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  OWNER: ['admin'],
  ADMIN: [
    'cameras:read',
    'cameras:write',
    'ingest',
    'analytics:read',
    'identity:admin',
    'identity:read',
    'identity:write',
    'billing:read',
    'webhooks:write',
    'members:read',
    'members:write',
  ],
  MEMBER: ['cameras:read', 'cameras:write', 'ingest', 'analytics:read', 'billing:read', 'members:read'],
  VIEWER: ['cameras:read', 'analytics:read', 'billing:read', 'members:read'],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
