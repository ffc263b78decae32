import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { type GraphQLContext } from '@trinetra/shared';
import { AuthPayload } from '../auth.types';
import { requirePrincipal } from '../require-principal';
import { type Role } from '../roles';
import { sessionCookiesOf } from '../session-cookie';
import type { MemberService } from './member.service';
import { AcceptInviteInput, Invite, InviteMemberInput, InviteMemberPayload, Member, MemberRoleEnum } from './member.types';

/** The team: members, invites, roles (server/auth/roles.ts is the permission table). */
@Resolver()
export class MemberResolver {
  constructor(
    private readonly team: MemberService,
    private readonly refreshTokenTtlSeconds: number,
  ) {}

  @Authorized('members:read')
  @Query(() => [Member], { description: "The tenant's members, oldest first." })
  members(@Ctx() ctx: GraphQLContext): Promise<Member[]> {
    return this.team.members(requirePrincipal(ctx).tenantId);
  }

  @Authorized('members:read')
  @Query(() => [Invite], { description: 'Invites not yet accepted and not expired, newest first.' })
  invites(@Ctx() ctx: GraphQLContext): Promise<Invite[]> {
    return this.team.pendingInvites(requirePrincipal(ctx).tenantId);
  }

  @Authorized('members:write')
  @Mutation(() => InviteMemberPayload, { description: 'Invites someone by e-mail. The token and link are answered once; no mail is sent (the link is also logged).' })
  inviteMember(@Arg('input', () => InviteMemberInput) input: InviteMemberInput, @Ctx() ctx: GraphQLContext): Promise<InviteMemberPayload> {
    return this.team.invite(requirePrincipal(ctx), input);
  }

  @Mutation(() => AuthPayload, { description: 'Accepts an invite: creates the member with this password and signs them in.' })
  async acceptInvite(@Arg('input', () => AcceptInviteInput) input: AcceptInviteInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    const pair = await this.team.accept(input);
    const cookies = sessionCookiesOf(ctx);
    if (!cookies?.cookieMode) return pair;
    cookies.set(pair.refreshToken, this.refreshTokenTtlSeconds);
    return { ...pair, refreshToken: null };
  }

  @Authorized('members:write')
  @Mutation(() => Member, { description: "Changes a member's role; their current sign-ins end. Refused when no OWNER would remain." })
  changeMemberRole(@Arg('userId', () => ID) userId: string, @Arg('role', () => MemberRoleEnum) role: Role, @Ctx() ctx: GraphQLContext): Promise<Member> {
    return this.team.changeRole(requirePrincipal(ctx), userId, role);
  }

  @Authorized('members:write')
  @Mutation(() => Member, { description: 'Removes a member and ends their sign-ins. Refused when no OWNER would remain.' })
  removeMember(@Arg('userId', () => ID) userId: string, @Ctx() ctx: GraphQLContext): Promise<Member> {
    return this.team.remove(requirePrincipal(ctx), userId);
  }
}
