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
 * - `camera_resume`: the camera stays stopped after a restart until started again.
 */
export const PIPELINE_FAULTS = ['checkpoint_load', 'checkpoint_save', 'summary_save', 'status_write', 'preview_render', 'source_stop', 'camera_resume'] as const;
export type PipelineFault = (typeof PIPELINE_FAULTS)[number];

/** Logs each fault with its context and counts it by kind (exported as a metric). */
export class PipelineFaults {
  private readonly counts = new Map<PipelineFault, number>(PIPELINE_FAULTS.map((k) => [k, 0]));

  constructor(private readonly logger: PipelineLogger) {}

  record(kind: PipelineFault, err: unknown, context: Record<string, unknown>): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    this.logger.warn({ ...context, fault: kind, err }, `frame pipeline fault: ${kind}`);
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
