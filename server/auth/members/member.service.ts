import { randomUUID } from 'node:crypto';
import argon2 from 'argon2';
import { z } from 'zod';
import { hasScope, NotFoundError, parseInput, type Principal } from '@trinetra/shared';
import type { SystemDb, TenantDbFactory } from '@trinetra/db';
import { displayEmail, normalizeEmail, type AuthService, type TokenPair } from '../auth.service';
import { type Role } from '../roles';
import { randomToken, sha256 } from '../secrets';
import { MemberError, MemberErrorCode } from './member.errors';

export interface MemberView {
  id: string;
  email: string;
  role: Role;
  joinedAt: Date;
}

export interface InviteView {
  id: string;
  email: string;
  role: Role;
  expiresAt: Date;
  createdAt: Date;
}

export interface MemberServiceOptions {
  /** The dashboard's address; the accept link is `<dashboardUrl>/invite#token=…`. */
  dashboardUrl: string;
  /** How long an invite can be accepted. Default 7 days. */
  inviteTtlMs?: number;
  /** There is no mail server: the link goes to the server log for the operator (and to the inviter). */
  onInviteLink(event: { tenantId: string; inviteId: string; email: string; role: Role; acceptUrl: string }): void;
}

const InviteSchema = z.object({
  email: z.string().trim().email('must be a valid e-mail address').max(254),
});
const AcceptSchema = z.object({
  token: z.string().min(10, 'invite token is missing').max(200),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
});
const UUID = z.string().uuid();

const DEFAULT_INVITE_TTL_MS = 7 * 24 * 3600_000;

/**
 * The tenant's team: members (users), invites, role changes and removal, with the two rules a
 * scope cannot express: only an OWNER (scope `admin`) grants or touches OWNER, and no change may
 * leave a tenant without an OWNER. Changes that need the owner count run in one transaction that
 * locks the tenant's user rows, so two concurrent demotions cannot both pass the check.
 */
export class MemberService {
  constructor(
    private readonly db: SystemDb,
    private readonly tenantDb: TenantDbFactory,
    private readonly auth: AuthService,
    private readonly options: MemberServiceOptions,
  ) {}

  async members(tenantId: string): Promise<MemberView[]> {
    const users = await this.tenantDb(tenantId).user.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    return users.map(toMemberView);
  }

  async pendingInvites(tenantId: string, now = new Date()): Promise<InviteView[]> {
    const rows = await this.tenantDb(tenantId).invite.findMany({ where: { acceptedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: 'desc' } });
    return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, expiresAt: r.expiresAt, createdAt: r.createdAt }));
  }

  /** Creates an invite; the token is in the answer once (only its hash is kept) and in the server log as a link. */
  async invite(principal: Principal, input: { email: string; role: Role }, now = new Date()): Promise<{ invite: InviteView; token: string; acceptUrl: string }> {
    const email = normalizeEmail(parseInput(InviteSchema, input).email);
    if (input.role === 'OWNER') this.assertOwner(principal, 'invite an OWNER');
    const db = this.tenantDb(principal.tenantId);
    const member = await db.user.findFirst({ where: { email } });
    if (member) throw new MemberError(MemberErrorCode.ALREADY_MEMBER, `${email} is already a member of this tenant`, { field: 'email' });
    // A new invite replaces pending ones for the same address: one live link per person.
    await db.invite.deleteMany({ where: { email, acceptedAt: null } });
    const token = randomToken(32);
    const row = await db.invite.create({
      data: {
        id: randomUUID(),
        tenantId: principal.tenantId,
        email,
        role: input.role,
        tokenHash: sha256(token),
        invitedById: principal.kind === 'user' ? principal.id : null,
        expiresAt: new Date(now.getTime() + (this.options.inviteTtlMs ?? DEFAULT_INVITE_TTL_MS)),
      },
    });
    // In the fragment: browsers never send it to a server, so it stays out of access logs and Referer.
    const acceptUrl = `${this.options.dashboardUrl.replace(/\/+$/, '')}/invite#token=${token}`;
    this.options.onInviteLink({ tenantId: principal.tenantId, inviteId: row.id, email, role: row.role, acceptUrl });
    return { invite: { id: row.id, email, role: row.role, expiresAt: row.expiresAt, createdAt: row.createdAt }, token, acceptUrl };
  }

  /** Turns an invite into a member with the given password and signs them in. */
  async accept(input: { token: string; password: string }, now = new Date()): Promise<TokenPair> {
    const { token, password } = parseInput(AcceptSchema, input);
    const invalid = () => new MemberError(MemberErrorCode.INVITE_INVALID, 'this invite is unknown, expired or already used; ask for a new one', { field: 'token' });
    const invite = await this.db.invite.findUnique({ where: { tokenHash: sha256(token) } });
    if (!invite || invite.acceptedAt || invite.expiresAt <= now) throw invalid();
    const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
    const user = await this.db.$transaction(async (tx) => {
      // The claim makes a token usable once even when two accepts race.
      const claimed = await tx.invite.updateMany({ where: { id: invite.id, acceptedAt: null }, data: { acceptedAt: now } });
      if (claimed.count === 0) throw invalid();
      if (await tx.user.findUnique({ where: { email: invite.email } })) {
        throw new MemberError(MemberErrorCode.EMAIL_REGISTERED, 'this e-mail already has an account; one login belongs to one tenant', { field: 'token' });
      }
      return tx.user.create({ data: { id: randomUUID(), tenantId: invite.tenantId, email: invite.email, passwordHash, role: invite.role } });
    });
    return this.auth.signInUser(user);
  }

  async changeRole(principal: Principal, userId: string, role: Role): Promise<MemberView> {
    const updated = await this.withOwnersLocked(principal.tenantId, userId, async (tx, target, owners) => {
      if (target.role === 'OWNER' || role === 'OWNER') this.assertOwner(principal, 'grant or change the OWNER role');
      if (target.role === 'OWNER' && role !== 'OWNER' && owners === 1) {
        throw new MemberError(MemberErrorCode.LAST_OWNER, 'the tenant would have no OWNER; make another member OWNER first');
      }
      return tx.user.update({ where: { id: target.id }, data: { role } });
    });
    // The old role's scopes are in their access tokens: end those sign-ins now.
    await this.auth.endSessionsOfUser(updated.id);
    return toMemberView(updated);
  }

  async remove(principal: Principal, userId: string): Promise<MemberView> {
    const families = UUID.safeParse(userId).success
      ? (await this.db.refreshToken.findMany({ where: { userId, tenantId: principal.tenantId }, select: { familyId: true }, distinct: ['familyId'] })).map((f) => f.familyId)
      : [];
    const removed = await this.withOwnersLocked(principal.tenantId, userId, async (tx, target, owners) => {
      if (target.role === 'OWNER') this.assertOwner(principal, 'remove an OWNER');
      if (target.role === 'OWNER' && owners === 1) throw new MemberError(MemberErrorCode.LAST_OWNER, 'the tenant would have no OWNER; make another member OWNER first');
      await tx.user.delete({ where: { id: target.id } });
      return target;
    });
    await this.auth.endSessions(families);
    return toMemberView(removed);
  }

  private assertOwner(principal: Principal, what: string): void {
    if (!hasScope(principal, 'admin')) throw new MemberError(MemberErrorCode.OWNER_REQUIRED, `only an OWNER may ${what}`);
  }

  /**
   * Runs `change` with the tenant's user rows locked (SELECT … FOR UPDATE) and the current
   * number of owners. The system client with an explicit tenant filter: the tenant-scoped one
   * refuses transactions, and the lock must cover the check and the write together.
   */
  private async withOwnersLocked<T>(
    tenantId: string,
    userId: string,
    change: (tx: Parameters<Parameters<SystemDb['$transaction']>[0]>[0], target: UserRow, owners: number) => Promise<T>,
  ): Promise<T> {
    if (!UUID.safeParse(userId).success) throw new NotFoundError('Member', userId);
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; role: Role }[]>`SELECT "id", "role"::text AS "role" FROM "User" WHERE "tenantId" = ${tenantId}::uuid FOR UPDATE`;
      const target = rows.find((r) => r.id === userId) ? await tx.user.findFirst({ where: { id: userId, tenantId } }) : null;
      if (!target) throw new NotFoundError('Member', userId);
      return change(tx, target, rows.filter((r) => r.role === 'OWNER').length);
    });
  }
}

type UserRow = { id: string; tenantId: string; email: string; role: Role; createdAt: Date };

function toMemberView(user: UserRow): MemberView {
  return { id: user.id, email: displayEmail(user.email), role: user.role, joinedAt: user.createdAt };
}
