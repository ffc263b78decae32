import { workerCpuPlan } from '@trinetra/gpu-worker';
import { z } from 'zod';
import { decodeIdentityMasterKey, loadOrCreateDevIdentityMasterKey } from './dev-identity-master-key';
import { loadOrCreateDevJwtSecret } from './dev-jwt-secret';

/** Where Postgres is when DATABASE_URL is unset (also the CLI's default). */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/trinetra';

/**
 * The one place that reads `process.env` (STYLE.md rule 5). Every setting has a local
 * default so `npm start` works on a fresh machine; production overrides through the env.
 */
const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().url().default(DEFAULT_DATABASE_URL),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Folder for local state: embedded Postgres data, prepared models. */
  DATA_DIR: z.string().default('.trinetra'),
  /**
   * HMAC secret for access tokens; required in production. Unset in development or test: a
   * random one is generated once into `<DATA_DIR>/jwt-secret` (mode 0600) and reused.
   */
  JWT_SECRET: z.string().min(32).optional(),
  /**
   * Base64 of 32 bytes that wraps each tenant's identity data key (face embeddings are sealed
   * with AES-256-GCM); required in production. Unset in development or test: generated once
   * into `<DATA_DIR>/identity-master-key` (mode 0600).
   */
  IDENTITY_MASTER_KEY: z.string().optional(),
  /**
   * The master key before IDENTITY_MASTER_KEY, while a rotation rolls out (docs/IDENTITY.md,
   * "Master key rotation"): data keys it wrapped still open; nothing new is wrapped with it.
   */
  IDENTITY_MASTER_KEY_PREVIOUS: z.string().optional(),
  /**
   * host:port of a Milvus server: face vectors are indexed there (one collection per embedding
   * model, the tenant as partition key) instead of the embedded hnswlib index under DATA_DIR.
   */
  MILVUS_ADDRESS: z.string().min(1).optional(),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().positive().default(900),
  REFRESH_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 24 * 3600),
  CORS_ORIGINS: z.string().default('http://localhost:3000,http://127.0.0.1:3000'),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_000_000),
  QUERY_MAX_DEPTH: z.coerce.number().int().positive().default(10),
  QUERY_MAX_COST: z.coerce.number().int().positive().default(5_000),
  /** Most aliased fields in one operation (aliases repeat a field thousands of times in one request). */
  QUERY_MAX_ALIASES: z.coerce.number().int().positive().default(50),
  /** Schema introspection and the /graphql IDE; unset: on except in production. */
  GRAPHQL_INTROSPECTION: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Show stack traces and internal messages of unexpected errors to clients (local debugging only). */
  EXPOSE_ERROR_DETAILS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Bearer token /metrics asks for; unset: /metrics is open in development and test, and not served in production. */
  METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(10),
  /** Requests per minute per client address for calls without credentials (sign-in, sign-up). */
  RATE_LIMIT_ANON_PER_MIN: z.coerce.number().int().positive().default(120),
  /**
   * A tenant's requests per minute, all users and API keys together, as a multiple of its plan's
   * API requests per minute (which is each API key's own limit). 1 keeps the tenant at the plan
   * figure, so one key can use all of it; above 1 lets several keys run at full rate at once.
   */
  RATE_LIMIT_TENANT_MULTIPLIER: z.coerce.number().positive().max(1000).default(1),
  /** Failed signIn attempts per client address per 15 minutes, whatever the e-mail (password spraying). */
  SIGN_IN_FAILURES_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  /** Failed signIn attempts per e-mail per 15 minutes, from any address (guessing one account's password). */
  SIGN_IN_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(10),
  /** signUp calls (new tenants) per client address per hour. */
  SIGN_UP_PER_ADDRESS_PER_HOUR: z.coerce.number().int().positive().default(20),
  /** Videos of batch jobs processed at once by this server process. */
  VIDEO_JOB_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /** Processed frames in a row without a person before a live camera warns "no one detected". */
  NO_DETECTION_WARNING_FRAMES: z.coerce.number().int().positive().default(100),
  /** Server folders tenants' FILE cameras and manifests may read: `*=/dir;<tenantId>=/dir` (see README). Each tenant always has `<DATA_DIR>/media/<tenantId>/`. */
  MEDIA_ROOTS: z.string().default(''),
  /** Where batch job outputs (JSONL.gz per video) go; default `<DATA_DIR>/outputs`. */
  VIDEO_JOB_OUTPUT_DIR: z.string().optional(),
  /** gpu-worker processes `npm start` runs beside the server (0: run them elsewhere, e.g. GPU nodes); default from the cores (gpu-worker/inference/cpu-plan.ts). */
  WORKER_PROCESSES: z.coerce.number().int().min(0).max(64).default(workerCpuPlan().processes),
  /** Inference backend of those workers (`auto`, `simulated`, `onnx`); unset: the worker's default. */
  WORKER_INFERENCE_BACKEND: z.string().optional(),
  /** BullMQ queue of frame micro-batches, shared with the workers. */
  FRAME_QUEUE_NAME: z.string().min(1).default('frame-batches'),
  /** BullMQ key prefix, shared with the workers. */
  BULLMQ_PREFIX: z.string().min(1).default('bull'),
  /** BullMQ queue of webhook delivery attempts (billing-safe). */
  WEBHOOK_QUEUE_NAME: z.string().min(1).default('webhook-deliveries'),
  /**
   * This replica's name in camera leases (docs/ARCHITECTURE.md, "Camera ownership across
   * replicas"): a random suffix is always added, so two processes never share an owner id.
   * Default: the host name (the pod's name in Kubernetes).
   */
  REPLICA_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore (at most 64)')
    .optional(),
  /** Camera lease lifetime, ms: how long a dead replica's cameras wait before another takes them. */
  CAMERA_LEASE_TTL_MS: z.coerce.number().int().min(500).max(60_000).default(5_000),
  /** How often a replica renews its camera leases and looks for unowned running cameras, ms (under half the TTL). */
  CAMERA_LEASE_RENEW_MS: z.coerce.number().int().min(100).max(30_000).default(1_500),
  /**
   * Usage units another replica read from the usage outbox but has not acknowledged for this long
   * are taken over by this one's ledger writer: that replica died between reading and inserting.
   */
  USAGE_OUTBOX_CLAIM_IDLE_MS: z.coerce.number().int().min(1_000).max(600_000).default(15_000),
  /** One webhook attempt, connect to last byte; a receiver slower than this counts as failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** After rotateWebhookSecret, the previous secret also signs for this many seconds. */
  WEBHOOK_SECRET_GRACE_S: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 3600),
  /** Password of the demo admin; unset: a random one each start, written to the demo credentials file. */
  DEMO_PASSWORD: z.string().min(10).optional(),
  /** Where the dashboard is served, for the start banner (`npm start` sets it). */
  DASHBOARD_URL: z.string().url().optional(),
  /** Seed the demo tenant and a demo API key at start-up (idempotent); default true in development only. */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
});

type ParsedConfig = z.infer<typeof ConfigSchema>;
export type AppConfig = Readonly<Omit<ParsedConfig, 'JWT_SECRET' | 'SEED_DEMO' | 'IDENTITY_MASTER_KEY' | 'IDENTITY_MASTER_KEY_PREVIOUS'>> & {
  readonly JWT_SECRET: string;
  readonly SEED_DEMO: boolean;
  /** Base64 of the 32-byte identity master key (validated). */
  readonly IDENTITY_MASTER_KEY: string;
  /** Base64 of the previous master key during a rotation (validated, not equal to the current one). */
  readonly IDENTITY_MASTER_KEY_PREVIOUS?: string;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates configuration; throws a ConfigError that lists every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const cfg = parsed.data;
  if (cfg.CAMERA_LEASE_RENEW_MS * 2 >= cfg.CAMERA_LEASE_TTL_MS) {
    throw new ConfigError(`invalid configuration:\n  CAMERA_LEASE_RENEW_MS: must be under half of CAMERA_LEASE_TTL_MS (${cfg.CAMERA_LEASE_TTL_MS})`);
  }
  if (cfg.NODE_ENV === 'production' && !cfg.JWT_SECRET) throw new ConfigError('JWT_SECRET must be set in production');
  if (cfg.NODE_ENV === 'production' && !cfg.IDENTITY_MASTER_KEY)
    throw new ConfigError('IDENTITY_MASTER_KEY must be set in production (openssl rand -base64 32)');
  const { IDENTITY_MASTER_KEY_PREVIOUS, ...rest } = cfg;
  const identityKey = identityMasterKey(cfg.IDENTITY_MASTER_KEY, cfg.DATA_DIR);
  const previousIdentityKey = previousIdentityMasterKey(IDENTITY_MASTER_KEY_PREVIOUS, identityKey);
  return {
    ...rest,
    JWT_SECRET: cfg.JWT_SECRET ?? devJwtSecret(cfg.DATA_DIR),
    IDENTITY_MASTER_KEY: identityKey,
    ...(previousIdentityKey ? { IDENTITY_MASTER_KEY_PREVIOUS: previousIdentityKey } : {}),
    SEED_DEMO: cfg.SEED_DEMO ?? cfg.NODE_ENV === 'development',
  };
}

/** The machine's generated secret (development and test without JWT_SECRET); never a constant. */
function devJwtSecret(dataDir: string): string {
  try {
    return loadOrCreateDevJwtSecret(dataDir);
  } catch (error) {
    throw new ConfigError(`JWT_SECRET is unset and no secret could be kept in DATA_DIR: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The configured identity master key, or the machine's generated one; validated either way. */
function identityMasterKey(value: string | undefined, dataDir: string): string {
  try {
    const key = value ?? loadOrCreateDevIdentityMasterKey(dataDir);
    decodeIdentityMasterKey(key);
    return key;
  } catch (error) {
    throw new ConfigError(`IDENTITY_MASTER_KEY: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** IDENTITY_MASTER_KEY_PREVIOUS, validated like the current key; equal to it is a mistake (no rotation), refused. */
function previousIdentityMasterKey(value: string | undefined, current: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let key: Buffer;
  try {
    key = decodeIdentityMasterKey(value, 'IDENTITY_MASTER_KEY_PREVIOUS');
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  if (key.equals(decodeIdentityMasterKey(current)))
    throw new ConfigError('IDENTITY_MASTER_KEY_PREVIOUS equals IDENTITY_MASTER_KEY: unset it, or set it to the key before the rotation');
  return value;
}

/** The env a child process (worker, second server) should inherit to reach the same services. */
export function serviceEnv(cfg: AppConfig): Record<string, string> {
  return {
    DATABASE_URL: cfg.DATABASE_URL,
    REDIS_URL: cfg.REDIS_URL,
    JWT_SECRET: cfg.JWT_SECRET,
    IDENTITY_MASTER_KEY: cfg.IDENTITY_MASTER_KEY,
    ...(cfg.IDENTITY_MASTER_KEY_PREVIOUS ? { IDENTITY_MASTER_KEY_PREVIOUS: cfg.IDENTITY_MASTER_KEY_PREVIOUS } : {}),
    DATA_DIR: cfg.DATA_DIR,
  };
}
