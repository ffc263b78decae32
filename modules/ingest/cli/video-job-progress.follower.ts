import type { ProgressBar } from './progress-bar';
import { IngestCliError, IngestCliErrorCode } from './ingest-cli.error';
import type { TrinetraApiClient } from './trinetra-api.client';

/** `VideoJobCounts` as the API sends it. */
export interface VideoJobCountsWire {
  queued: number;
  processing: number;
  done: number;
  failed: number;
  missingFile: number;
  total: number;
  finished: boolean;
}

export const COUNTS_FIELDS = 'queued processing done failed missingFile total finished';

interface ProgressWire {
  videoJobProgress: {
    kind: 'STARTED' | 'FRAMES' | 'FINISHED';
    filename: string;
    status: string;
    error: string | null;
    frames: number | null;
    totalFrames: number | null;
    counts: VideoJobCountsWire;
    tenantCounts: VideoJobCountsWire;
  };
}

const PROGRESS = `subscription($manifestId: ID) { videoJobProgress(manifestId: $manifestId) {
  kind filename status error frames totalFrames counts { ${COUNTS_FIELDS} } tenantCounts { ${COUNTS_FIELDS} } } }`;
const COUNTS = `query($manifestId: ID) { videoJobCounts(manifestId: $manifestId) { ${COUNTS_FIELDS} } }`;

/** Options of {@link followVideoJobProgress}. */
export interface FollowOptions {
  /** One manifest (`ingest`), or null for every job of the tenant (`resume`). */
  manifestId: string | null;
  bar: ProgressBar;
  /** Aborting stops following (the server keeps processing); the promise then resolves null. */
  signal?: AbortSignal;
  /**
   * Counts are also polled this often, ms. Default 3000. graphql-ws does not acknowledge a
   * subscription, so events published before it is registered are missed; the poll (and one
   * right after subscribing) makes sure the end of a batch is never missed.
   */
  pollMs?: number;
}

/**
 * Follows batch progress until nothing is queued or processing: `videoJobProgress` events
 * drive the bar and print one line per finished video; counts come from the server.
 * @throws IngestCliError when the connection to the server is lost or the key is refused.
 */
export function followVideoJobProgress(client: TrinetraApiClient, options: FollowOptions): Promise<VideoJobCountsWire | null> {
  const { manifestId, bar } = options;
  return new Promise((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    let unsubscribe = (): void => undefined;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', onAbort);
      unsubscribe();
      outcome();
    };
    const apply = (counts: VideoJobCountsWire): void => {
      bar.set(counts.done + counts.failed + counts.missingFile, counts.total);
      if (counts.finished) settle(() => resolve(counts));
    };
    const onAbort = (): void => settle(() => resolve(null));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    unsubscribe = client.subscribe<ProgressWire>(PROGRESS, { manifestId }, {
      next: ({ videoJobProgress: e }) => {
        const counts = manifestId ? e.counts : e.tenantCounts;
        if (e.kind === 'FRAMES') bar.update(`${e.filename} ${e.frames ?? 0}${e.totalFrames ? `/${e.totalFrames}` : ''} frames`);
        else if (e.kind === 'STARTED') bar.update(`${e.filename} starting`);
        bar.set(counts.done + counts.failed + counts.missingFile, counts.total);
        if (e.kind === 'FINISHED') bar.log(`${e.status.toLowerCase().padEnd(12)} ${e.filename}${e.error ? ` (${e.error})` : ''}`);
        apply(counts);
      },
      error: (error) => settle(() => reject(error)),
      complete: () => settle(() => reject(new IngestCliError(IngestCliErrorCode.SERVER_FAILED, 'the server ended the progress subscription'))),
    });
    const poll = (): void => {
      if (settled) return;
      client.request<{ videoJobCounts: VideoJobCountsWire }>(COUNTS, { manifestId }).then(
        (data) => {
          apply(data.videoJobCounts);
          if (!settled) timers.push(setTimeout(poll, options.pollMs ?? 3000));
        },
        (error: unknown) => settle(() => reject(error)),
      );
    };
    timers.push(setTimeout(poll, 300));
  });
}
