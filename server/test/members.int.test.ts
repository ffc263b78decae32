import pino from 'pino';
import { createTenantDbFactory } from '@trinetra/db';
import { Writable } from 'node:stream';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
const logLines: Record<string, unknown>[] = [];

const INVITE = `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { token acceptUrl invite { id email role expiresAt } } }`;
const ACCEPT = `mutation($input: AcceptInviteInput!) { acceptInvite(input: $input) { accessToken refreshToken } }`;
const CHANGE = `mutation($id: ID!, $role: MemberRole!) { changeMemberRole(userId: $id, role: $role) { id role } }`;
const REMOVE = `mutation($id: ID!) { removeMember(userId: $id) { id email } }`;
const MEMBERS = `{ members { id email role } invites { id email role } }`;
const ME = `{ me { user { id role } tenant { id } scopes } }`;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  t = await startTestApp({ RATE_LIMIT_ANON_PER_MIN: '100000' }, undefined, { logger: pino({ level: 'info' }, sink) });
});

afterAll(async () => {
  await t?.stop();
});

let n = 0;
/** Invites `email` (fresh when omitted) with `role` as `inviter`, accepts it, and returns the new member's session. */
async function addMember(inviterToken: string, role: string): Promise<{ token: string; id: string; email: string }> {
  const email = `member${Date.now()}${n++}@team.test`;
  const invited = await gql<{ inviteMember: { token: string } }>(t.url, INVITE, { input: { email, role } }, inviterToken);
  if (!invited.data) throw new Error(JSON.stringify(invited.errors));
  const accepted = await gql<{ acceptInvite: { accessToken: string } }>(t.url, ACCEPT, { input: { token: invited.data.inviteMember.token, password: 'a long enough password' } });
  if (!accepted.data) throw new Error(JSON.stringify(accepted.errors));
  const me = await gql<{ me: { user: { id: string } } }>(t.url, ME, {}, accepted.data.acceptInvite.accessToken);
  return { token: accepted.data.acceptInvite.accessToken, id: me.data!.me.user.id, email };
}

async function owner(name: string): Promise<{ token: string; id: string; tenantId: string }> {
  const { accessToken } = await signUpTenant(t.url, name);
  const me = await gql<{ me: { user: { id: string; role: string }; tenant: { id: string } } }>(t.url, ME, {}, accessToken);
  expect(me.data!.me.user.role).toBe('OWNER');
  return { token: accessToken, id: me.data!.me.user.id, tenantId: me.data!.me.tenant.id };
}

describe('team: members, invites, roles', () => {
  it('invites by link (token shown once, link logged), accepts once, and the member signs in with their role', async () => {
    const boss = await owner('Invites');
    const email = `Viewer${Date.now()}@Team.test`;
    const invited = await gql<{ inviteMember: { token: string; acceptUrl: string; invite: { id: string; email: string; role: string } } }>(
      t.url,
      INVITE,
      { input: { email, role: 'VIEWER' } },
      boss.token,
    );
    expect(invited.errors).toBeUndefined();
    const { token, acceptUrl, invite } = invited.data!.inviteMember;
    expect(invite).toMatchObject({ email: email.toLowerCase(), role: 'VIEWER' });
    expect(acceptUrl).toBe(`http://localhost:3000/invite#token=${token}`);
    expect(logLines.some((l) => l['acceptUrl'] === acceptUrl && l['inviteId'] === invite.id)).toBe(true);
    // Only the hash is stored: the token is nowhere in the table.
    const stored = await t.app.db.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await gql<{ invites: { id: string }[] }>(t.url, `{ invites { id email role } }`, {}, boss.token);
    expect(JSON.stringify(listed.data)).not.toContain(token);
    expect(listed.data!.invites.map((i) => i.id)).toEqual([invite.id]);

    const accepted = await gql<{ acceptInvite: { accessToken: string } }>(t.url, ACCEPT, { input: { token, password: 'viewer password 1' } });
    expect(accepted.errors).toBeUndefined();
    const me = await gql<{ me: { user: { role: string }; tenant: { id: string }; scopes: string[] } }>(t.url, ME, {}, accepted.data!.acceptInvite.accessToken);
    expect(me.data!.me).toMatchObject({ user: { role: 'VIEWER' }, tenant: { id: boss.tenantId } });
    expect(me.data!.me.scopes.sort()).toEqual(['analytics:read', 'billing:read', 'cameras:read', 'members:read']);
    const signIn = await gql(t.url, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, { i: { email, password: 'viewer password 1' } });
    expect(signIn.errors).toBeUndefined();

    const again = await gql(t.url, ACCEPT, { input: { token, password: 'another password 2' } });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVITE_INVALID', field: 'token' });
    const members = await gql<{ members: { email: string; role: string }[]; invites: unknown[] }>(t.url, MEMBERS, {}, boss.token);
    expect(members.data!.members.map((m) => m.role)).toEqual(['OWNER', 'VIEWER']);
    expect(members.data!.invites).toEqual([]);
  });

  it('refuses an invite to an existing member, bad input by field, and unknown or expired tokens', async () => {
    const boss = await owner('Refusals');
    const member = await addMember(boss.token, 'MEMBER');
    const dup = await gql(t.url, INVITE, { input: { email: member.email.toUpperCase(), role: 'VIEWER' } }, boss.token);
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ALREADY_MEMBER', field: 'email' });
    const bad = await gql(t.url, INVITE, { input: { email: 'not-an-address', role: 'VIEWER' } }, boss.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const unknown = await gql(t.url, ACCEPT, { input: { token: 'x'.repeat(43), password: 'a long enough password' } });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVITE_INVALID' });
    const short = await gql(t.url, ACCEPT, { input: { token: 'x'.repeat(43), password: 'short' } });
    expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const invited = await gql<{ inviteMember: { token: string; invite: { id: string } } }>(t.url, INVITE, { input: { email: `late${Date.now()}@team.test`, role: 'MEMBER' } }, boss.token);
    await t.app.db.invite.update({ where: { id: invited.data!.inviteMember.invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await gql(t.url, ACCEPT, { input: { token: invited.data!.inviteMember.token, password: 'a long enough password' } });
    expect(expired.errors?.[0]?.extensions).toMatchObject({ reason: 'INVITE_INVALID' });
    // An e-mail with an account in another tenant: one login belongs to one tenant.
    const other = await signUpTenant(t.url, 'Elsewhere');
    const taken = await gql<{ inviteMember: { token: string } }>(t.url, INVITE, { input: { email: other.email, role: 'MEMBER' } }, boss.token);
    const clash = await gql(t.url, ACCEPT, { input: { token: taken.data!.inviteMember.token, password: 'a long enough password' } });
    expect(clash.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EMAIL_REGISTERED' });
  });

  it('never leaves a tenant without an OWNER, and only an OWNER grants or touches OWNER', async () => {
    const boss = await owner('Owners');
    const selfDemote = await gql(t.url, CHANGE, { id: boss.id, role: 'ADMIN' }, boss.token);
    expect(selfDemote.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'LAST_OWNER' });
    const selfRemove = await gql(t.url, REMOVE, { id: boss.id }, boss.token);
    expect(selfRemove.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'LAST_OWNER' });

    const admin = await addMember(boss.token, 'ADMIN');
    const member = await addMember(boss.token, 'MEMBER');
    expect((await gql(t.url, CHANGE, { id: member.id, role: 'OWNER' }, admin.token)).errors?.[0]?.extensions).toMatchObject({ reason: 'OWNER_REQUIRED' });
    expect((await gql(t.url, CHANGE, { id: boss.id, role: 'VIEWER' }, admin.token)).errors?.[0]?.extensions).toMatchObject({ reason: 'OWNER_REQUIRED' });
    expect((await gql(t.url, REMOVE, { id: boss.id }, admin.token)).errors?.[0]?.extensions).toMatchObject({ reason: 'OWNER_REQUIRED' });
    expect((await gql(t.url, INVITE, { input: { email: `o${Date.now()}@team.test`, role: 'OWNER' } }, admin.token)).errors?.[0]?.extensions).toMatchObject({
      reason: 'OWNER_REQUIRED',
    });
    // An ADMIN manages the others.
    expect((await gql(t.url, CHANGE, { id: member.id, role: 'VIEWER' }, admin.token)).data).toEqual({ changeMemberRole: { id: member.id, role: 'VIEWER' } });

    // Two owners demoting each other at once: the row lock lets exactly one through.
    const second = await addMember(boss.token, 'MEMBER');
    await gql(t.url, CHANGE, { id: second.id, role: 'OWNER' }, boss.token);
    const secondSession = await gql<{ signIn: { accessToken: string } }>(t.url, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
      i: { email: second.email, password: 'a long enough password' },
    });
    const [a, b] = await Promise.all([
      gql(t.url, CHANGE, { id: second.id, role: 'ADMIN' }, boss.token),
      gql(t.url, CHANGE, { id: boss.id, role: 'ADMIN' }, secondSession.data!.signIn.accessToken),
    ]);
    expect([a, b].filter((r) => r.errors === undefined)).toHaveLength(1);
    expect([a, b].filter((r) => r.errors?.[0]?.extensions?.['reason'] === 'LAST_OWNER')).toHaveLength(1);
    expect(await t.app.db.user.count({ where: { tenantId: boss.tenantId, role: 'OWNER' } })).toBe(1);
  });

  it("ends a member's sign-ins when their role changes or they are removed", async () => {
    const boss = await owner('Sessions');
    const member = await addMember(boss.token, 'ADMIN');
    expect((await gql(t.url, `{ webhookEndpoints { id } }`, {}, member.token)).errors).toBeUndefined();
    await gql(t.url, CHANGE, { id: member.id, role: 'VIEWER' }, boss.token);
    expect((await gql(t.url, ME, {}, member.token)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const again = await gql<{ signIn: { accessToken: string } }>(t.url, `mutation($i: SignInInput!) { signIn(input: $i) { accessToken } }`, {
      i: { email: member.email, password: 'a long enough password' },
    });
    const viewer = again.data!.signIn.accessToken;
    expect((await gql(t.url, INVITE, { input: { email: `x${Date.now()}@team.test`, role: 'VIEWER' } }, viewer)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MISSING_SCOPE',
    });
    const removed = await gql<{ removeMember: { email: string } }>(t.url, REMOVE, { id: member.id }, boss.token);
    expect(removed.data!.removeMember.email).toBe(member.email);
    expect((await gql(t.url, ME, {}, viewer)).errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    const members = await gql<{ members: { id: string }[] }>(t.url, MEMBERS, {}, boss.token);
    expect(members.data!.members.map((m) => m.id)).toEqual([boss.id]);
  });

  it('is isolated per tenant: members, invites, role changes and removal of another tenant are not found', async () => {
    const a = await owner('TeamA');
    const b = await owner('TeamB');
    const aMember = await addMember(a.token, 'MEMBER');
    const aInvite = await gql<{ inviteMember: { invite: { id: string } } }>(t.url, INVITE, { input: { email: `pending${Date.now()}@a.test`, role: 'VIEWER' } }, a.token);
    const seenByB = await gql<{ members: { id: string }[]; invites: { id: string }[] }>(t.url, MEMBERS, {}, b.token);
    expect(seenByB.data!.members.map((m) => m.id)).toEqual([b.id]);
    expect(seenByB.data!.invites).toEqual([]);
    expect(JSON.stringify(seenByB.data)).not.toContain(aInvite.data!.inviteMember.invite.id);
    for (const [query, vars] of [
      [CHANGE, { id: aMember.id, role: 'VIEWER' }],
      [REMOVE, { id: aMember.id }],
      [REMOVE, { id: a.id }],
    ] as const) {
      const res = await gql(t.url, query, vars, b.token);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await gql(t.url, REMOVE, { id: 'not-a-uuid' }, b.token)).errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const aMembers = await gql<{ members: { id: string; role: string }[] }>(t.url, MEMBERS, {}, a.token);
    expect(aMembers.data!.members).toEqual([
      { id: a.id, email: expect.any(String), role: 'OWNER' },
      { id: aMember.id, email: aMember.email, role: 'MEMBER' },
    ]);
    // The scoped client (filter and RLS session): B's sees none of A's invites, even by id.
    const scopedB = createTenantDbFactory(t.app.db)(b.tenantId);
    expect(await scopedB.invite.findFirst({ where: { id: aInvite.data!.inviteMember.invite.id } })).toBeNull();
    expect(await scopedB.user.findFirst({ where: { id: aMember.id } })).toBeNull();
  });
});
