import { z } from 'zod';
import { IngestCliError, IngestCliErrorCode } from './ingest-cli.error';

/** What the ingest CLI commands need from the environment. */
export interface IngestCliConfig {
  /** The GraphQL endpoint over HTTP (`TRINETRA_API_URL`, default `http://127.0.0.1:4000`; `/graphql` is appended when the URL has no path). */
  httpUrl: string;
  /** The same endpoint for graphql-ws subscriptions (`ws:` / `wss:`). */
  wsUrl: string;
  /** An API key with the `ingest` scope (`TRINETRA_API_KEY`, required). Never printed. */
  apiKey: string;
}

export const DEFAULT_API_URL = 'http://127.0.0.1:4000';

const EnvSchema = z.object({
  TRINETRA_API_URL: z
    .string()
    .default(DEFAULT_API_URL)
    .refine((v) => /^https?:\/\/[^/]+/.test(v) && URL.canParse(v), 'TRINETRA_API_URL must be an http:// or https:// URL'),
  TRINETRA_API_KEY: z
    .string({ error: 'TRINETRA_API_KEY is not set: create an API key with the ingest scope (createApiKey) and export it' })
    .min(1, 'TRINETRA_API_KEY is empty'),
});

/**
 * The one place the ingest CLI reads `process.env`: validated once, then passed down typed.
 * @throws IngestCliError CONFIG_INVALID naming every problem.
 */
export function readIngestCliConfig(env: NodeJS.ProcessEnv = process.env): IngestCliConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new IngestCliError(IngestCliErrorCode.CONFIG_INVALID, parsed.error.issues.map((i) => i.message).join('; '));
  const url = new URL(parsed.data.TRINETRA_API_URL);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/graphql';
  const httpUrl = url.toString();
  return { httpUrl, wsUrl: httpUrl.replace(/^http/, 'ws'), apiKey: parsed.data.TRINETRA_API_KEY };
}
