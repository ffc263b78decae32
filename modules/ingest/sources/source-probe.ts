import { connect } from 'node:net';
import { IngestError, IngestErrorCode } from '../domain/ingest.error';
import type { CheckedUrl } from '../domain/url-guard';
import type { FfmpegBinaries } from './ffmpeg-binaries';
import { probeVideo } from './ffprobe';

/**
 * Checks at create/update that a camera's source can work, so a bad path or an unreachable
 * address is refused with its reason instead of being accepted and failing later (issue 18).
 * Runs after the access checks (media roots, SSRF guard): it only ever touches what those allowed.
 */
export interface SourceProbe {
  /** `realPath` is MediaAccess's answer. @throws IngestError PROBE_FAILED (field `sourceUrl`) */
  file(realPath: string): Promise<void>;
  /** @throws IngestError SOURCE_UNREACHABLE (field `sourceUrl`) */
  network(checked: CheckedUrl): Promise<void>;
}

export interface ServerSourceProbeOptions {
  binaries?: FfmpegBinaries;
  /** ffprobe's limit on a file. Default 10 s. */
  fileTimeoutMs?: number;
  /** How long a TCP connection to the camera may take. Default 3 s. */
  connectTimeoutMs?: number;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'rtsp:': 554, 'rtsps:': 322, 'http:': 80, 'https:': 443 };

/**
 * The probe the server runs: ffprobe on a file; a TCP connection to a network camera's port.
 * The connection goes to an address the SSRF guard already resolved and checked (not a fresh
 * DNS answer), and nothing is sent on it: reachability only, no protocol, no credentials.
 */
export class ServerSourceProbe implements SourceProbe {
  constructor(private readonly options: ServerSourceProbeOptions = {}) {}

  async file(realPath: string): Promise<void> {
    try {
      await probeVideo(realPath, { ...(this.options.binaries ? { binaries: this.options.binaries } : {}), timeoutMs: this.options.fileTimeoutMs ?? 10_000 });
    } catch (cause) {
      throw new IngestError(IngestErrorCode.PROBE_FAILED, 'sourceUrl is not a video the server can decode (ffprobe found no readable video stream)', { field: 'sourceUrl', statusReason: 'DECODE_ERROR' }, { cause });
    }
  }

  async network(checked: CheckedUrl): Promise<void> {
    const address = checked.addresses[0];
    const port = checked.url.port ? Number(checked.url.port) : (DEFAULT_PORTS[checked.url.protocol] ?? 80);
    const timeoutMs = this.options.connectTimeoutMs ?? 3_000;
    const why = address === undefined ? 'no address' : await tcpReachability(address, port, timeoutMs);
    if (why === null) return;
    throw new IngestError(
      IngestErrorCode.SOURCE_UNREACHABLE,
      `sourceUrl could not be reached: ${checked.redacted} (${why}). Check the address and port, and that the camera is on and reachable from the server`,
      { field: 'sourceUrl', statusReason: 'SOURCE_UNREACHABLE' },
    );
  }
}

/** Null when a TCP connection opened within the limit, else why not (`connection refused`, ...). */
function tcpReachability(host: string, port: number, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (why: string | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`no answer within ${timeoutMs / 1000} s`), timeoutMs);
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' ? 'host unreachable' : (err.code ?? 'connection failed')));
  });
}
