import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ApiErrorCode, AppError, createLoaderRegistry, type GraphQLContext, type Principal } from '@trinetra/shared';
import type { SystemDb } from '@trinetra/db';
import type { AuthService } from '../auth/auth.service';
import { rateLimitedError } from '../http/rate-limited-error';
import type { RateDecision, RateLimit, RateLimiter } from '../http/rate-limiter';

export interface ContextFactoryOptions {
  /** Requests per minute per client address for anonymous calls (sign-in, sign-up). */
  anonymousPerMinute: number;
  /** A tenant's limit (all callers together) as a multiple of its plan's per-minute figure, which is each API key's limit. */
  tenantMultiplier: number;
}

/** HTTP status of an API error code when it stops a request before execution. */
const HTTP_STATUS: Partial<Record<ApiErrorCode, number>> = {
  [ApiErrorCode.UNAUTHENTICATED]: 401,
  [ApiErrorCode.FORBIDDEN]: 403,
  [ApiErrorCode.RATE_LIMITED]: 429,
  [ApiErrorCode.BAD_USER_INPUT]: 400,
};

/**
 * The single auth path for HTTP (Authorization header) and WebSocket (connection_init
 * payload `authorization`): credential to Principal, per-tenant rate limit, fresh DataLoaders.
 */
export class ContextFactory {
  private readonly planLimits = new Map<string, { limit: number; until: number }>();

  constructor(
    private readonly auth: AuthService,
    private readonly db: SystemDb,
    private readonly limiter: RateLimiter,
    private readonly options: ContextFactoryOptions,
  ) {}

  /** Resolves the caller; throws a GraphQLError carrying the code and HTTP status on failure. */
  async principalOf(authorization: string | null | undefined): Promise<Principal | null> {
    try {
      return await this.auth.authenticate(authorization);
    } catch (error) {
      throw toGraphQLError(error);
    }
  }

  /** `onDecision` receives the admitted request's rate-limit standing (for the `RateLimit-*` headers). */
  async create(
    authorization: string | null | undefined,
    clientAddress: string,
    requestId: string = randomUUID(),
    onDecision?: (decision: RateDecision) => void,
  ): Promise<GraphQLContext> {
    const principal = await this.principalOf(authorization);
    onDecision?.(await this.enforceRateLimit(principal, clientAddress));
    return this.forPrincipal(principal, requestId);
  }

  forPrincipal(principal: Principal | null, requestId: string = randomUUID()): GraphQLContext {
    return { requestId, principal, loader: createLoaderRegistry() };
  }

  /**
   * Counts one request (an HTTP request, a graphql-ws connection or message) in the same Redis
   * sliding windows for both transports: an API key against its own limit (the plan's API
   * requests per minute) and its tenant's, a user against the tenant's, an anonymous call
   * against its client address. Counted against all or none; throws RATE_LIMITED with a
   * retry-after and the binding limit's standing, else returns that standing.
   */
  async enforceRateLimit(principal: Principal | null, clientAddress: string): Promise<RateDecision> {
    const limits: RateLimit[] = [];
    if (!principal) limits.push({ key: `ip:${clientAddress}`, limit: this.options.anonymousPerMinute });
    else {
      const perMinute = await this.planLimit(principal.tenantId);
      limits.push({ key: `t:${principal.tenantId}`, limit: Math.max(1, Math.floor(perMinute * this.options.tenantMultiplier)) });
      if (principal.kind === 'apiKey') limits.push({ key: `k:${principal.id}`, limit: perMinute });
    }
    const decision = await this.limiter.hitAll(limits);
    if (!decision.allowed) {
      const whose = decision.key.startsWith('k:') ? 'API key ' : '';
      throw rateLimitedError(`${whose}rate limit of ${decision.limit} requests per minute reached`, decision.retryAfterMs, decision);
    }
    return decision;
  }

  /** The tenant's plan limit, cached for a minute so the hot path does not read Postgres. */
  private async planLimit(tenantId: string): Promise<number> {
    const now = Date.now();
    const cached = this.planLimits.get(tenantId);
    if (cached && cached.until > now) return cached.limit;
    const tenant = await this.db.tenant.findUnique({ where: { id: tenantId }, include: { plan: true } });
    const limit = tenant?.plan.requestsPerMinute ?? 0;
    this.planLimits.set(tenantId, { limit, until: now + 60_000 });
    return limit;
  }
}

export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  if (error instanceof AppError) {
    const status = HTTP_STATUS[error.apiCode];
    return new GraphQLError(error.message, { extensions: { ...error.details, code: error.apiCode, ...(status ? { http: { status } } : {}) } });
  }
  throw error;
}
