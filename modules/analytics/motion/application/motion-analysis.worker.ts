import { poseSeriesFromBatchLines } from '../domain/batch-pose-series';
import { reportMotion } from '../domain/motion-report';
import { athleteOf, failedBefore, failureOf, finishedFromReport } from './motion-outcome';
import type { FinishedMotionAnalysis, MotionAnalysisPublisher, MotionAnalysisStore, MotionVideoSource } from './motion-ports';

/** Where the worker reports faults of ours (logged by the server). */
export type MotionWorkerErrorSink = (error: unknown, context: { tenantId: string; analysisId: string }) => void;

/** Progress is published at most this often per analysis, ms. */
const PROGRESS_EVERY_MS = 500;

/**
 * Runs one batch analysis (a queue job): claims it (QUEUED -> RUNNING, so a job delivered twice
 * runs once), waits for its video job's poses, measures them and ends the row DONE or FAILED
 * with the typed reason. It never throws for the analysis's own failures: whatever happens, the
 * row ends, and `analysisCompleted` tells the client.
 */
export class MotionAnalysisWorker {
  constructor(
    private readonly store: MotionAnalysisStore,
    private readonly videos: MotionVideoSource,
    private readonly publisher: MotionAnalysisPublisher,
    private readonly onError: MotionWorkerErrorSink,
  ) {}

  async run(tenantId: string, analysisId: string): Promise<void> {
    if (!(await this.store.claim(tenantId, analysisId))) return;
    const row = await this.store.get(tenantId, analysisId);
    if (!row) return;
    const progress = (stage: 'DECODING' | 'ANALYSING' | 'FINISHED', fraction: number, status: 'RUNNING' | 'DONE' | 'FAILED' = 'RUNNING'): Promise<void> =>
      Promise.resolve(this.publisher.progress(tenantId, { analysisId, status, progress: fraction, stage, at: new Date() })).catch((err: unknown) =>
        this.onError(err, { tenantId, analysisId }),
      );
    await progress('DECODING', 0.05);
    let finished: FinishedMotionAnalysis;
    try {
      if (!row.videoJobId) throw new Error(`analysis ${analysisId} has no video job`);
      let last = 0;
      const lines = await this.videos.poseLines(tenantId, row.videoJobId, (fraction) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS) return;
        last = now;
        const p = 0.05 + 0.8 * Math.max(0, Math.min(1, fraction));
        void this.store.setProgress(tenantId, analysisId, p).catch((err: unknown) => this.onError(err, { tenantId, analysisId }));
        void progress('DECODING', p);
      });
      await progress('ANALYSING', 0.9);
      const { series, trackId, candidateTrackIds } = poseSeriesFromBatchLines(lines, row.requestedTrackId === null ? {} : { trackId: row.requestedTrackId });
      const report = reportMotion(row.sport, series, athleteOf(row));
      finished = finishedFromReport(report, row, {
        trackId,
        trackChoice: row.requestedTrackId === null ? 'MAIN' : 'REQUESTED',
        candidateTrackIds,
        fps: series.fps,
        frameCount: series.frames.length,
      });
    } catch (error) {
      finished = failureOf(error);
      if (finished.reason === 'INTERNAL_ERROR') this.onError(error, { tenantId, analysisId });
    }
    const ended = await this.store.finish(tenantId, analysisId, finished).catch(async (error: unknown) => {
      // The result could not be stored (a value Postgres refused?): end the row anyway.
      this.onError(error, { tenantId, analysisId });
      return this.store.finish(tenantId, analysisId, failedBefore('INTERNAL_ERROR', 'the result could not be stored; it was logged'));
    });
    if (!ended) return;
    await progress('FINISHED', 1, ended.status === 'DONE' ? 'DONE' : 'FAILED');
    await Promise.resolve(this.publisher.completed(tenantId, ended)).catch((err: unknown) => this.onError(err, { tenantId, analysisId }));
  }
}
