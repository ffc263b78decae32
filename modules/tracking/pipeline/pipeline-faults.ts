import { Counter, type Registry } from 'prom-client';
import type { PipelineLogger } from './pipeline-ports';

/**
 * Failures on the frame path that must not stop it, each with the reason it is survivable:
 * - `checkpoint_load`: the camera starts with a fresh tracker (track ids restart) rather than not at all;
 * - `checkpoint_save`: the next checkpoint (about a second later) replaces it;
 * - `summary_save`: ended tracks' summaries are lost for that batch; live results go on;
 * - `status_write`: the status shown lags until the next change;
 * - `preview_render`: that frame's result goes out without a preview;
 * - `source_stop`: the source's process is killed with its camera anyway;
 * - `camera_resume`: the camera stays stopped after a restart until started again;
 * - `transport`: a batch could not be sent (its frames are retried until their deadline) or
 *   results could not be read (the reader retries); Redis being down shows up here;
 * - `delivery_listener`: a consumer of a delivered frame threw; the frame stays accounted as
 *   delivered, its result is lost;
 * - `lease`: a camera lease could not be renewed or released, or was lost (another replica took
 *   the camera, or a fenced checkpoint was refused): the camera stops here and its owner runs it.
 */
export const PIPELINE_FAULTS = [
  'checkpoint_load',
  'checkpoint_save',
  'summary_save',
  'status_write',
  'preview_render',
  'source_stop',
  'camera_resume',
  'transport',
  'delivery_listener',
  'lease',
] as const;
export type PipelineFault = (typeof PIPELINE_FAULTS)[number];

/** Most one log line per fault kind per this many ms; the count in between goes on the next line. */
const LOG_EVERY_MS = 10_000;

/**
 * Counts every fault by kind (exported as a metric) and logs it with its context. Logging is
 * throttled per kind: an outage (Redis down) fails every frame and every reconnect attempt,
 * and one line per 10 s with the number left out says as much as thousands.
 */
export class PipelineFaults {
  private readonly counts = new Map<PipelineFault, number>(PIPELINE_FAULTS.map((k) => [k, 0]));
  private readonly lastLogged = new Map<PipelineFault, { at: number; count: number }>();

  constructor(
    private readonly logger: PipelineLogger,
    private readonly now: () => number = Date.now,
  ) {}

  record(kind: PipelineFault, err: unknown, context: Record<string, unknown>): void {
    const count = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, count);
    const last = this.lastLogged.get(kind);
    const now = this.now();
    if (last && now - last.at < LOG_EVERY_MS) return;
    this.lastLogged.set(kind, { at: now, count });
    const notLogged = last ? count - last.count - 1 : 0;
    this.logger.warn({ ...context, fault: kind, err, ...(notLogged > 0 ? { notLogged } : {}) }, `frame pipeline fault: ${kind}`);
  }

  count(kind: PipelineFault): number {
    return this.counts.get(kind) ?? 0;
  }

  /** `<prefix>faults_total{kind}`, read at scrape time. */
  register(registry: Registry, prefix = 'trinetra_pipeline_'): void {
    const counts = this.counts;
    new Counter({
      name: `${prefix}faults_total`,
      help: 'Survivable failures on the frame path by kind (each also logged with its context)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [kind, n] of counts) this.inc({ kind }, n);
      },
    });
  }
}
