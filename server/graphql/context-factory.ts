import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ApiErrorCode, AppError, createLoaderRegistry, type GraphQLContext, type Principal } from '@trinetra/shared';
import type { SystemDb } from '@trinetra/db';
import type { AuthService } from '../auth/auth.service';
import { rateLimitedError } from '../http/rate-limited-error';
import type { RateLimiter } from '../http/rate-limiter';

export interface ContextFactoryOptions {
  /** Requests per minute per client address for anonymous calls (sign-in, sign-up). */
  anonymousPerMinute: number;
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

  async create(authorization: string | null | undefined, clientAddress: string, requestId: string = randomUUID()): Promise<GraphQLContext> {
    const principal = await this.principalOf(authorization);
    await this.enforceRateLimit(principal, clientAddress);
    return this.forPrincipal(principal, requestId);
  }

  forPrincipal(principal: Principal | null, requestId: string = randomUUID()): GraphQLContext {
    return { requestId, principal, loader: createLoaderRegistry() };
  }

  /**
   * Counts one request (an HTTP request, a graphql-ws connection or message) against the
   * tenant's plan for a signed-in principal, or the client address for anonymous calls, in
   * the same Redis counters for both transports; throws RATE_LIMITED with a retry-after.
   */
  async enforceRateLimit(principal: Principal | null, clientAddress: string): Promise<void> {
    const [key, limit] = principal ? [`t:${principal.tenantId}`, await this.planLimit(principal.tenantId)] : [`ip:${clientAddress}`, this.options.anonymousPerMinute];
    const decision = await this.limiter.hit(key, limit);
    if (!decision.allowed) throw rateLimitedError(`rate limit of ${limit} requests per minute reached`, decision.retryAfterMs);
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
