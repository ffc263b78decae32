import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { type GraphQLSchema, parse, validate, GraphQLError, type ExecutionArgs, getOperationAST, NoSchemaIntrospectionCustomRule, specifiedRules } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { GraphQLContext, Principal } from '@trinetra/shared';
import type { AppConfig } from '../config/config';
import type { AuthAttempt, AuthAttemptGuard } from '../graphql/auth-attempt-guard';
import type { GraphqlWsLiveSessions } from '../auth/graphql-ws-live-sessions';
import { SessionCookieExchange, withSessionCookies } from '../auth/session-cookie';
import type { ContextFactory } from '../graphql/context-factory';
import { createErrorFormatter } from '../graphql/error-formatter';
import { assertSafeInputs } from '../graphql/input-guard';
import { assertWithinLimits, measureOperation, type QueryLimits } from '../graphql/query-limits';
import type { Logger } from '../observability/logger';
import type { ServerMetrics } from '../observability/metrics';
import { applyCors } from './cors';
import { IDE_ASSET_PREFIX, IDE_CSP, IDE_HTML, serveIdeAsset } from './graphql-ide';
import { metricsAccessOf, metricsStatusFor } from './metrics-access';
import { rateLimitHeaders } from './rate-limited-error';
import type { RateDecision } from './rate-limiter';
import { BodyTooLargeError, readBody } from './request-body';
import { applySecurityHeaders } from './security-headers';

export const GRAPHQL_PATH = '/graphql';

/**
 * Most tokens in one GraphQL document. Parsing and validation run before the depth, cost and
 * alias limits and validation is superlinear in repeated fields (40,000 aliases took seconds),
 * so a huge document is refused while it is parsed. 20,000 is four times what the cost limit
 * can accept at about three tokens a field, and fifty times the IDE's introspection query.
 */
const MAX_QUERY_TOKENS = 20_000;

/** Handles a plain HTTP request under a path prefix (batch output downloads, `/outputs/`). */
export type PrefixRouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Handles a WebSocket upgrade on a path other than /graphql (the /ingest socket). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface HttpServerDeps {
  config: AppConfig;
  logger: Logger;
  schema: GraphQLSchema;
  contexts: ContextFactory;
  metrics: ServerMetrics;
  /** Limits on signIn failures and signUp, for both transports. */
  authAttempts: AuthAttemptGuard;
  /** Checks of the services the server needs; `/readyz` is 200 only when all are true. */
  readiness: () => Promise<Record<string, boolean>>;
  upgrades?: ReadonlyMap<string, UpgradeHandler>;
  /** HTTP routes by path prefix (e.g. `/outputs/`); each does its own authentication. */
  prefixRoutes?: ReadonlyMap<string, PrefixRouteHandler>;
  /** Closes graphql-ws connections whose credential is revoked or expires; re-authentication by `ping`. */
  liveSessions?: GraphqlWsLiveSessions;
}

export interface RunningHttpServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * The client address on an HTTP request's context, for the auth-attempt limits. A symbol
 * property, not a WeakMap: Apollo hands plugins a shallow copy of the context (own
 * enumerable properties, symbols included, are copied).
 */
const CLIENT_ADDRESS = Symbol('clientAddress');
type AddressedContext = GraphQLContext & { [CLIENT_ADDRESS]?: string };

function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * One HTTP server for everything: GraphQL over HTTP (Apollo Server 5 driven through
 * `executeHTTPGraphQLRequest`, so body limits, CORS and auth stay ours), graphql-ws on the
 * same path, the local IDE, /healthz, /readyz and /metrics.
 */
export async function startHttpServer(deps: HttpServerDeps): Promise<RunningHttpServer> {
  const { config, logger, schema, contexts, metrics } = deps;
  const { authAttempts } = deps;
  // Introspection (and the IDE that needs it) is on by default everywhere but production.
  const introspection = config.GRAPHQL_INTROSPECTION ?? config.NODE_ENV !== 'production';
  const limits: QueryLimits = { maxDepth: config.QUERY_MAX_DEPTH, maxCost: config.QUERY_MAX_COST, maxAliases: config.QUERY_MAX_ALIASES };
  const formatError = createErrorFormatter(logger, config.EXPOSE_ERROR_DETAILS, (code) => metrics.graphqlErrors.inc({ code }));
  const metricsAccess = metricsAccessOf(config);
  const validationRules = introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const corsOrigins = config.CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean);

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: config.EXPOSE_ERROR_DETAILS,
    introspection,
    csrfPrevention: true,
    parseOptions: { maxTokens: MAX_QUERY_TOKENS },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart({ contextValue }) {
          const started = performance.now();
          let attempt: AuthAttempt | null = null;
          return {
            async didResolveOperation({ document, request }) {
              const variables = request.variables ?? {};
              assertWithinLimits(measureOperation(document, request.operationName, variables), limits);
              assertSafeInputs(schema, document, request.operationName, variables);
              attempt = await authAttempts.admit(document, request.operationName, variables, (contextValue as AddressedContext)[CLIENT_ADDRESS] ?? 'unknown');
            },
            async willSendResponse({ operationName, errors, response }) {
              await authAttempts.settle(attempt, response.body.kind === 'single' ? response.body.singleResult.errors : undefined);
              logger.info(
                { requestId: contextValue.requestId, tenantId: contextValue.principal?.tenantId, operationName, ms: Math.round(performance.now() - started), errors: errors?.length ?? 0 },
                'graphql request',
              );
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const handleGraphQL = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const raw = await readBody(req, config.BODY_LIMIT_BYTES);
      try {
        body = raw.length > 0 ? JSON.parse(raw) : {};
      } catch {
        sendError(res, 400, 'request body is not valid JSON', 'BAD_USER_INPUT');
        return;
      }
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const sessionCookies = SessionCookieExchange.of(req, GRAPHQL_PATH);
    // The admitted request's rate-limit standing, sent as RateLimit-* headers on every answer (a refusal carries its own).
    let standing: RateDecision | null = null;
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        const ctx: AddressedContext = await contexts.create(req.headers.authorization, clientAddress(req), requestId, (decision) => {
          standing = decision;
        });
        ctx[CLIENT_ADDRESS] = clientAddress(req);
        return withSessionCookies(ctx, sessionCookies);
      },
    });
    if (standing && !response.headers.has('ratelimit-limit')) for (const [key, value] of rateLimitHeaders(standing)) res.setHeader(key, value);
    for (const [key, value] of response.headers) res.setHeader(key, value);
    if (sessionCookies.setCookies.length > 0) res.setHeader('set-cookie', sessionCookies.setCookies);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
    } else {
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    let route = url.pathname;
    res.on('finish', () => {
      metrics.httpDuration.observe({ route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    applyCors(req, res, corsOrigins);
    applySecurityHeaders(res);
    const handle = async (): Promise<void> => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      if (url.pathname === GRAPHQL_PATH) {
        const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html') && !url.searchParams.has('query');
        if (wantsHtml) {
          if (!introspection) {
            route = 'not_found';
            res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
            return;
          }
          applySecurityHeaders(res, IDE_CSP);
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(IDE_HTML);
          return;
        }
        await handleGraphQL(req, res, url);
        return;
      }
      if (url.pathname.startsWith(IDE_ASSET_PREFIX) && introspection) {
        route = IDE_ASSET_PREFIX;
        await serveIdeAsset(url.pathname.slice(IDE_ASSET_PREFIX.length), res);
        return;
      }
      if (url.pathname === '/healthz') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
        return;
      }
      if (url.pathname === '/readyz') {
        const checks = await deps.readiness();
        const ready = Object.values(checks).every(Boolean);
        res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ status: ready ? 'ready' : 'not_ready', checks }));
        return;
      }
      if (url.pathname === '/metrics') {
        const status = metricsStatusFor(metricsAccess, req);
        if (status !== 200) {
          route = status === 404 ? 'not_found' : route;
          res.writeHead(status, { 'content-type': 'application/json', ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) }).end(JSON.stringify({ error: status === 401 ? 'metrics token required' : 'not found' }));
          return;
        }
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
        return;
      }
      for (const [prefix, handler] of deps.prefixRoutes ?? []) {
        if (!url.pathname.startsWith(prefix)) continue;
        route = prefix;
        await handler(req, res, url);
        return;
      }
      route = 'not_found';
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
    };
    handle().catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, error.message, 'BAD_USER_INPUT');
        return;
      }
      logger.error({ err: error, path: url.pathname }, 'request failed');
      sendError(res, 500, 'internal error', 'INTERNAL');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.BODY_LIMIT_BYTES });
  const principals = new WeakMap<object, Principal | null>();
  /** signIn/signUp attempts in flight per connection and operation id, settled by their result. */
  const attempts = new WeakMap<object, Map<string, AuthAttempt>>();
  const addressOf = (ctx: { extra: { request: IncomingMessage } }): string => clientAddress(ctx.extra.request);
  useServer<Record<string, unknown> | undefined>(
    {
      schema,
      onConnect: async (ctx) => {
        const auth = ctx.connectionParams?.['authorization'] ?? ctx.connectionParams?.['Authorization'];
        try {
          const principal = await contexts.principalOf(typeof auth === 'string' ? auth : null);
          // A connection counts as a request: an address refused over HTTP is refused here too.
          await contexts.enforceRateLimit(principal, addressOf(ctx));
          if (principal && typeof auth === 'string') await deps.liveSessions?.watch(ctx, auth);
          principals.set(ctx, principal);
          metrics.wsConnections.inc({ outcome: 'accepted' });
          return true;
        } catch (error) {
          metrics.wsConnections.inc({ outcome: 'refused' });
          const message = error instanceof Error ? error.message : 'unauthorized';
          const limited = error instanceof GraphQLError && error.extensions['code'] === 'RATE_LIMITED';
          ctx.extra.socket.close(limited ? 4429 : 4401, `${limited ? 'Too many requests' : 'Unauthorized'}: ${message}`.slice(0, 120));
          return false;
        }
      },
      context: (ctx) => contexts.forPrincipal(principals.get(ctx) ?? null),
      onPing: async (ctx, payload) => {
        const renewed = await deps.liveSessions?.onPing(ctx, payload);
        if (renewed) principals.set(ctx, renewed);
      },
      onClose: (ctx) => deps.liveSessions?.onClose(ctx),
      onSubscribe: async (ctx, id, payload) => {
        try {
          // Every message counts, under the same keys as HTTP requests.
          await contexts.enforceRateLimit(principals.get(ctx) ?? null, addressOf(ctx));
        } catch (error) {
          return refusal(error);
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: MAX_QUERY_TOKENS });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('malformed query')];
        }
        const errors = validate(schema, document, validationRules);
        if (errors.length > 0) return errors;
        try {
          const variables = payload.variables ?? {};
          assertWithinLimits(measureOperation(document, payload.operationName, variables), limits);
          assertSafeInputs(schema, document, payload.operationName, variables);
          const attempt = await authAttempts.admit(document, payload.operationName, variables, addressOf(ctx));
          if (attempt) attempts.set(ctx, (attempts.get(ctx) ?? new Map<string, AuthAttempt>()).set(id, attempt));
        } catch (error) {
          return refusal(error);
        }
        const args: Partial<ExecutionArgs> = { schema, document, operationName: payload.operationName ?? null, variableValues: payload.variables ?? null };
        return getOperationAST(document, payload.operationName) ? (args as ExecutionArgs) : [new GraphQLError('operation not found')];
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
      onNext: async (ctx, id, _payload, _args, result) => {
        const formatted = 'errors' in result && result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e) as GraphQLError) } : result;
        const attempt = attempts.get(ctx)?.get(id);
        if (attempt) {
          attempts.get(ctx)?.delete(id);
          await authAttempts.settle(attempt, formatted.errors);
        }
        return formatted;
      },
    },
    wss,
  );

  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === GRAPHQL_PATH) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return;
    }
    const handler = deps.upgrades?.get(pathname);
    if (handler) handler(req, socket, head);
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    wss.close();
    await apollo.stop();
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}${GRAPHQL_PATH}`,
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await apollo.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A refusal before execution as graphql-ws operation errors; anything but a GraphQLError is a fault, not a refusal. */
function refusal(error: unknown): GraphQLError[] {
  if (error instanceof GraphQLError) return [error];
  throw error;
}

function sendError(res: ServerResponse, status: number, message: string, code: string): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
