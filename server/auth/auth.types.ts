import { Field, GraphQLISODateTime, ID, InputType, ObjectType } from 'type-graphql';
import { SCOPES } from '@trinetra/shared';

@InputType()
export class SignUpInput {
  @Field(() => String) tenantName!: string;
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@InputType()
export class SignInInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
}

@InputType()
export class CreateApiKeyInput {
  @Field(() => String) name!: string;
  @Field(() => [String], { description: `Any of: ${SCOPES.join(', ')}` }) scopes!: string[];
}

@ObjectType()
export class AuthPayload {
  @Field(() => String) accessToken!: string;
  @Field(() => String, { nullable: true, description: 'Null when it was set as an httpOnly cookie (request header x-trinetra-session: cookie).' })
  refreshToken!: string | null;
  @Field(() => GraphQLISODateTime) accessTokenExpiresAt!: Date;
}

@ObjectType()
export class ApiKey {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Visible start of the key, to recognise it in lists and logs.' }) prefix!: string;
  @Field(() => [String]) scopes!: string[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType()
export class CreateApiKeyPayload {
  @Field(() => ApiKey) apiKey!: ApiKey;
  @Field(() => String, { description: 'The full key. Shown once: only its hash is stored.' }) secret!: string;
}

@ObjectType()
export class MeTenant {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) plan!: string;
}

@ObjectType()
export class MeUser {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) role!: string;
}

@ObjectType()
export class Me {
  @Field(() => String, { description: 'user or apiKey' }) kind!: string;
  @Field(() => MeUser, { nullable: true }) user!: MeUser | null;
  @Field(() => MeTenant) tenant!: MeTenant;
  @Field(() => [String]) scopes!: string[];
}
