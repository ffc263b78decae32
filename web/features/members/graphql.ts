/** GraphQL documents and types of the team (server/auth/members/member.resolver.ts). */
import { gql } from 'urql';

/** Roles, most powerful first (server/auth/roles.ts; the permission table is docs/TEAM.md). */
export const MEMBER_ROLES = ['OWNER', 'ADMIN', 'MEMBER', 'VIEWER'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const ROLE_SUMMARY: Record<MemberRole, string> = {
  OWNER: 'everything, incl. API keys and owners',
  ADMIN: 'everything except API keys and owners',
  MEMBER: 'cameras, uploads, analyses; reads the rest',
  VIEWER: 'reads',
};

export interface Member {
  id: string;
  email: string;
  role: MemberRole;
  joinedAt: string;
}

export interface PendingInvite {
  id: string;
  email: string;
  role: MemberRole;
  expiresAt: string;
}

export const TEAM_QUERY = gql`
  query Team { members { id email role joinedAt } invites { id email role expiresAt } }
`;
export interface TeamResult {
  members: Member[];
  invites: PendingInvite[];
}

export const INVITE_MEMBER_MUTATION = gql`
  mutation InviteMember($input: InviteMemberInput!) { inviteMember(input: $input) { acceptUrl invite { id email role expiresAt } } }
`;
export interface InviteMemberResult {
  inviteMember: { acceptUrl: string; invite: PendingInvite };
}

export const CHANGE_MEMBER_ROLE_MUTATION = gql`
  mutation ChangeMemberRole($userId: ID!, $role: MemberRole!) { changeMemberRole(userId: $userId, role: $role) { id role } }
`;

export const REMOVE_MEMBER_MUTATION = gql`
  mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) { id } }
`;

export const ACCEPT_INVITE_MUTATION = gql`
  mutation AcceptInvite($input: AcceptInviteInput!) { acceptInvite(input: $input) { accessToken accessTokenExpiresAt } }
`;
export interface AcceptInviteResult {
  acceptInvite: { accessToken: string; accessTokenExpiresAt: string };
}
