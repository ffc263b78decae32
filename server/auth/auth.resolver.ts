import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import { type GraphQLContext, NotFoundError, parseInput } from '@trinetra/shared';
import type { TenantDbFactory } from '@trinetra/db';
import { AuthError, AuthErrorCode } from './auth.errors';
import { displayEmail, type AuthService, type TokenPair } from './auth.service';
import { ApiKey, AuthPayload, CreateApiKeyInput, CreateApiKeyPayload, Me, SignInInput, SignUpInput } from './auth.types';
import { requirePrincipal } from './require-principal';
import { sessionCookiesOf } from './session-cookie';

const SignUpSchema = z.object({
  tenantName: z.string().trim().min(1, 'tenant name is required').max(100),
  email: z.string().trim().email('must be a valid e-mail address').max(254),
  password: z.string().min(10, 'must be at least 10 characters').max(200),
});

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly tenantDb: TenantDbFactory,
  ) {}

  @Mutation(() => AuthPayload, {
    description: 'Creates a tenant and its first admin, and signs them in. Answers alike whether or not the e-mail is registered (it never says so).',
  })
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return this.deliver(await this.auth.signUp(parseInput(SignUpSchema, input)), ctx);
  }

  @Mutation(() => AuthPayload)
  async signIn(@Arg('input', () => SignInInput) input: SignInInput, @Ctx() ctx: GraphQLContext): Promise<AuthPayload> {
    return this.deliver(await this.auth.signIn(input), ctx);
  }

  @Mutation(() => AuthPayload, {
    description: 'Rotates a refresh token (the argument, or the session cookie when omitted). A token can be used once; reuse revokes its whole family.',
  })
  async refreshToken(
    @Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AuthPayload> {
    const cookies = sessionCookiesOf(ctx);
    const token = refreshToken ?? cookies?.refreshToken;
    if (!token) throw new AuthError(AuthErrorCode.TOKEN_INVALID, 'no refresh token: pass refreshToken, or send the session cookie');
    try {
      return this.deliver(await this.auth.refresh(token), ctx);
    } catch (error) {
      // A refused cookie is dropped, so the browser stops presenting it.
      if (error instanceof AuthError && !refreshToken) cookies?.clear();
      throw error;
    }
  }

  @Mutation(() => Boolean, {
    description:
      'Ends the sign-in the refresh token (the argument, or the session cookie when omitted) belongs to: its refresh tokens are revoked, its access tokens refused and its sockets closed. Answers true whether or not the token was valid.',
  })
  async signOut(@Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null | undefined, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    const cookies = sessionCookiesOf(ctx);
    const token = refreshToken ?? cookies?.refreshToken;
    if (token) await this.auth.signOut(token);
    cookies?.clear();
    return true;
  }

  /** Hands the pair over: a client that asked for the cookie gets the refresh token there, not in the body. */
  private deliver(pair: TokenPair, ctx: GraphQLContext): AuthPayload {
    const cookies = sessionCookiesOf(ctx);
    if (!cookies?.cookieMode) return pair;
    cookies.set(pair.refreshToken, this.auth.refreshTokenTtlSeconds);
    return { ...pair, refreshToken: null };
  }

  @Query(() => Me)
  async me(@Ctx() ctx: GraphQLContext): Promise<Me> {
    const principal = requirePrincipal(ctx);
    const db = this.tenantDb(principal.tenantId);
    const tenant = await db.tenant.findUnique({ where: { id: principal.tenantId }, include: { plan: true } });
    if (!tenant) throw new NotFoundError('Tenant', principal.tenantId);
    const user = principal.kind === 'user' ? await db.user.findUnique({ where: { id: principal.id } }) : null;
    return {
      kind: principal.kind,
      user: user ? { id: user.id, email: displayEmail(user.email), role: user.role } : null,
      tenant: { id: tenant.id, name: tenant.name, plan: tenant.plan.code },
      scopes: [...principal.scopes],
    };
  }

  @Authorized('admin')
  @Query(() => [ApiKey])
  apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKey[]> {
    return this.auth.listApiKeys(requirePrincipal(ctx));
  }

  @Authorized('admin')
  @Mutation(() => CreateApiKeyPayload, { description: 'Creates an API key. The secret is returned once.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: GraphQLContext): Promise<CreateApiKeyPayload> {
    return this.auth.createApiKey(requirePrincipal(ctx), input.name, input.scopes);
  }

  @Authorized('admin')
  @Mutation(() => ApiKey)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<ApiKey> {
    if (!z.string().uuid().safeParse(id).success) throw new NotFoundError('ApiKey', id);
    return this.auth.revokeApiKey(requirePrincipal(ctx), id);
  }
}
