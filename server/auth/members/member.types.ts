import { Field, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { enumOf } from '@trinetra/shared';
import { ROLES, type Role } from '../roles';

export const MemberRoleEnum = enumOf(ROLES);
registerEnumType(MemberRoleEnum, { name: 'MemberRole', description: 'Roles of the permission table (docs/TEAM.md).' });

@ObjectType({ description: 'A user of the tenant.' })
export class Member {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => MemberRoleEnum) role!: Role;
  @Field(() => GraphQLISODateTime) joinedAt!: Date;
}

@ObjectType({ description: 'An invite not yet accepted.' })
export class Invite {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => MemberRoleEnum) role!: Role;
  @Field(() => GraphQLISODateTime) expiresAt!: Date;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType()
export class InviteMemberPayload {
  @Field(() => Invite) invite!: Invite;
  @Field(() => String, { description: 'The invite token. Shown once: only its hash is stored.' }) token!: string;
  @Field(() => String, { description: 'The link to hand to the invitee (no mail is sent); also written to the server log.' }) acceptUrl!: string;
}

@InputType()
export class InviteMemberInput {
  @Field(() => String) email!: string;
  @Field(() => MemberRoleEnum) role!: Role;
}

@InputType()
export class AcceptInviteInput {
  @Field(() => String, { description: 'The token of the invite link.' }) token!: string;
  @Field(() => String, { description: 'The new member’s password (at least 10 characters).' }) password!: string;
}
