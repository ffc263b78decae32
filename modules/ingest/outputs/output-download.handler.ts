import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { hasScope, type Principal, type Scope } from '@trinetra/shared';
import { isWithin } from '../domain/media-roots';
import type { VideoJobRecord } from '../jobs/video-job.store';
import { OUTPUTS_PATH_PREFIX, type OutputLinkSigner } from './output-link';

/** Scopes that may read outputs (as the videoJob queries: operators and analysts). */
const READ_SCOPES: readonly Scope[] = ['ingest', 'analytics:read'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface OutputDownloadDeps {
  /** Resolves `Authorization` (bearer token or API key); throws when it is refused. */
  authenticate(authorization: string | undefined): Promise<Principal | null>;
  /** Counts the request against the caller's rate limit; false when over it (429). */
  admit?(principal: Principal | null, clientAddress: string): Promise<boolean>;
  /** The tenant's job, or null (tenant-scoped: another tenant's job is null too). */
  findJob(tenantId: string, jobId: string): Promise<VideoJobRecord | null>;
  signer: OutputLinkSigner;
  /** Root of the outputs (`<root>/<tenantId>/<jobId>.jsonl.gz`). */
  outputDir: string;
}

type Answer = { status: number; error: string; headers?: Record<string, string> };

const TOO_MANY: Answer = { status: 429, error: 'rate limit reached: retry in a minute' };

function send(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...answer.headers }).end(JSON.stringify({ error: answer.error }));
}

/** `Content-Disposition` filename: the video's name without its extension, ASCII only. */
function downloadName(job: VideoJobRecord): string {
  const stem = basename(job.filename).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || job.id;
  return `${stem}.jsonl.gz`;
}

/**
 * `GET /outputs/<jobId>`: the JSONL.gz output of a finished batch job, for its own tenant only.
 * Two ways in: `Authorization: Bearer <access token or API key>` (the CLI), or a signed link
 * from `VideoJob.outputUrl` (the dashboard's Download link). The job is read through the
 * tenant-scoped store, so another tenant's job answers 404 exactly like a job that does not
 * exist; ids are UUIDs (anything else, `../` included, is 404 before any file is touched); the
 * file served must resolve inside the tenant's own output folder.
 */
export function createOutputDownloadHandler(deps: OutputDownloadDeps): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  return async (req, res, url) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, { status: 405, error: 'method not allowed', headers: { allow: 'GET, HEAD' } });
    let jobId: string;
    try {
      jobId = decodeURIComponent(url.pathname.slice(OUTPUTS_PATH_PREFIX.length));
    } catch {
      return send(res, { status: 404, error: 'no such output' });
    }
    const tenantId = await tenantOf(req, url, jobId, deps);
    if (typeof tenantId !== 'string') return send(res, tenantId);
    if (!UUID.test(jobId)) return send(res, { status: 404, error: 'no such output' });
    const job = await deps.findJob(tenantId, jobId);
    if (!job || job.status !== 'done' || !job.outputPath) return send(res, { status: 404, error: 'no such output' });
    const own = await realpath(join(deps.outputDir, tenantId)).catch(() => null);
    const file = await realpath(job.outputPath).catch(() => null);
    const info = file ? await stat(file).catch(() => null) : null;
    if (!own || !file || !isWithin(own, file) || !info?.isFile()) return send(res, { status: 404, error: 'no such output' });
    res.writeHead(200, {
      'content-type': 'application/gzip',
      'content-length': String(info.size),
      'content-disposition': `attachment; filename="${downloadName(job)}"`,
      'cache-control': 'private, no-store',
      ...(job.outputSha256 ? { etag: `"${job.outputSha256}"`, 'x-content-sha256': job.outputSha256 } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file), res);
  };
}

/** The caller's tenant, from a signed link or the Authorization header; otherwise the refusal. */
async function tenantOf(req: IncomingMessage, url: URL, jobId: string, deps: OutputDownloadDeps): Promise<string | Answer> {
  const clientAddress = req.socket.remoteAddress ?? 'unknown';
  if (url.searchParams.has('sig')) {
    const signed = deps.signer.verify(jobId, url.searchParams);
    if (!signed) return { status: 403, error: 'the download link is invalid or expired: get a fresh one from VideoJob.outputUrl' };
    if (deps.admit && !(await deps.admit(null, clientAddress))) return TOO_MANY;
    return signed.tenantId;
  }
  const authorization = req.headers.authorization;
  if (!authorization) return { status: 401, error: 'send Authorization: Bearer <access token or API key>, or use VideoJob.outputUrl', headers: { 'www-authenticate': 'Bearer' } };
  let principal: Principal | null;
  try {
    principal = await deps.authenticate(authorization);
  } catch {
    principal = null;
  }
  if (!principal) return { status: 401, error: 'the token or API key was refused', headers: { 'www-authenticate': 'Bearer error="invalid_token"' } };
  if (deps.admit && !(await deps.admit(principal, clientAddress))) return TOO_MANY;
  if (!READ_SCOPES.some((s) => hasScope(principal, s))) return { status: 403, error: `missing scope: one of ${READ_SCOPES.join(', ')}` };
  return principal.tenantId;
}
