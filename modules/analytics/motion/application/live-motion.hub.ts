import { COCO_17_LENGTH, type MotionKeypoint } from '../domain/pose-series';
import { LiveMotionSession, type LiveMotionSessionOptions } from '../domain/live-motion-session';
import { athleteOf, failedBefore, finishedFromReport } from './motion-outcome';
import type { FinishedMotionAnalysis, MotionAnalysisPublisher, MotionAnalysisRow, MotionAnalysisStore } from './motion-ports';

/** One tracked frame of a camera, as the frame pipeline hands it to analytics. */
export interface LiveMotionFrame {
  /** Capture time, ms since the epoch. */
  readonly captureTs: number;
  readonly tracks: readonly {
    readonly trackId: number;
    readonly keypoints: readonly MotionKeypoint[];
    readonly box?: { readonly width: number; readonly height: number };
  }[];
}

export interface LiveMotionHubOptions {
  /** People followed per analysis (the rest of a crowd is ignored); default 8. */
  readonly maxTracks?: number;
  /** How long after the window's end an analysis waits for late frames, ms; default 2000. */
  readonly graceMs?: number;
  readonly session?: LiveMotionSessionOptions;
  readonly onError: (error: unknown, context: { tenantId: string; analysisId: string }) => void;
}

interface LiveRun {
  row: MotionAnalysisRow;
  key: string;
  /** The analysed person: the requested track, or the largest person of each frame. */
  session: LiveMotionSession;
  /** Frames each track id was seen in (the candidates), and in which the main person carried it. */
  seen: Map<number, number>;
  mainIds: Map<number, number>;
  frames: number;
  claimed: boolean;
  ending: boolean;
  timer: NodeJS.Timeout;
}

/**
 * Live analyses: windows of cameras measured as their tracked frames arrive. The analysed
 * person is the requested track id or, by default, the main person: the largest one in each
 * frame (the athlete in front of the camera), stitched across the ids a tracker gives them when
 * it loses them for a moment (a crouched athlete). One {@link LiveMotionSession} follows them;
 * each new jump/rep/step is published as it settles (`metricUpdated`); at the window's end the
 * whole recording is analysed once more and stored. Every person seen is listed as a candidate.
 *
 * In-process: the server that runs the camera's pipeline must be the one the analysis was
 * created on (true for a single server; see the README for several replicas).
 */
export class LiveMotionHub {
  private readonly runs = new Map<string, LiveRun>();
  private readonly byCamera = new Map<string, Set<LiveRun>>();
  private readonly maxTracks: number;
  private readonly graceMs: number;

  constructor(
    private readonly store: MotionAnalysisStore,
    private readonly publisher: MotionAnalysisPublisher,
    private readonly options: LiveMotionHubOptions,
  ) {
    this.maxTracks = options.maxTracks ?? 8;
    this.graceMs = options.graceMs ?? 2000;
  }

  /** Starts following a CAMERA_WINDOW analysis. */
  register(row: MotionAnalysisRow): Promise<void> {
    if (!row.cameraId || !row.windowStart || !row.windowEnd) throw new Error(`analysis ${row.id} is not a camera window`);
    const key = `${row.tenantId}:${row.cameraId}`;
    const delay = Math.max(0, row.windowEnd.getTime() - Date.now() + this.graceMs);
    const run: LiveRun = {
      row,
      key,
      session: new LiveMotionSession(row.sport, athleteOf(row), this.options.session),
      seen: new Map(),
      mainIds: new Map(),
      frames: 0,
      claimed: false,
      ending: false,
      timer: setTimeout(() => void this.end(run), delay),
    };
    run.timer.unref();
    this.runs.set(row.id, run);
    const set = this.byCamera.get(key) ?? new Set<LiveRun>();
    set.add(run);
    this.byCamera.set(key, set);
    return Promise.resolve();
  }

  /** Live analyses in progress (all tenants). */
  get active(): number {
    return this.runs.size;
  }

  /** One tracked frame of a camera; cheap when no analysis follows the camera. */
  onTracked(tenantId: string, cameraId: string, frame: LiveMotionFrame): void {
    const runs = this.byCamera.get(`${tenantId}:${cameraId}`);
    if (!runs) return;
    for (const run of runs) {
      const { windowStart, windowEnd } = run.row;
      if (!windowStart || !windowEnd || frame.captureTs < windowStart.getTime()) continue;
      if (frame.captureTs > windowEnd.getTime()) {
        void this.end(run);
        continue;
      }
      this.feed(run, frame);
    }
  }

  private feed(run: LiveRun, frame: LiveMotionFrame): void {
    const { row } = run;
    if (!run.claimed) {
      run.claimed = true;
      void this.store
        .claim(row.tenantId, row.id)
        .then(() => this.publisher.progress(row.tenantId, { analysisId: row.id, status: 'RUNNING', progress: 0, stage: 'LIVE', at: new Date() }))
        .catch((err: unknown) => this.options.onError(err, { tenantId: row.tenantId, analysisId: row.id }));
    }
    run.frames += 1;
    // The analysed person: the requested track, else the largest person in the frame (the
    // athlete in front of the camera), whatever id the tracker gave them this time.
    let main: LiveMotionFrame['tracks'][number] | null = null;
    let mainArea = -1;
    for (const track of frame.tracks) {
      if (track.keypoints.length !== COCO_17_LENGTH) continue;
      if (run.seen.size < this.maxTracks || run.seen.has(track.trackId)) run.seen.set(track.trackId, (run.seen.get(track.trackId) ?? 0) + 1);
      const area = track.box ? track.box.width * track.box.height : 0;
      if (row.requestedTrackId !== null ? track.trackId === row.requestedTrackId : area > mainArea) {
        main = track;
        mainArea = area;
      }
    }
    if (main) run.mainIds.set(main.trackId, (run.mainIds.get(main.trackId) ?? 0) + 1);
    const events = run.session.push(frame.captureTs, main ? main.keypoints : null);
    for (const event of events) {
      void Promise.resolve(
        this.publisher.metricUpdated(row.tenantId, {
          analysisId: row.id,
          sport: row.sport,
          cameraId: row.cameraId,
          trackId: main?.trackId ?? this.mainTrack(run) ?? -1,
          event,
          at: new Date(event.endTs),
        }),
      ).catch((err: unknown) => this.options.onError(err, { tenantId: row.tenantId, analysisId: row.id }));
    }
  }

  /** The requested track, else the id the main person carried most often. */
  private mainTrack(run: LiveRun): number | null {
    if (run.row.requestedTrackId !== null) return run.row.requestedTrackId;
    return [...run.mainIds].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  }

  private async end(run: LiveRun): Promise<void> {
    if (run.ending) return;
    run.ending = true;
    clearTimeout(run.timer);
    this.runs.delete(run.row.id);
    const set = this.byCamera.get(run.key);
    set?.delete(run);
    if (set?.size === 0) this.byCamera.delete(run.key);
    const { row } = run;
    let finished: FinishedMotionAnalysis;
    try {
      finished = this.outcome(run);
    } catch (error) {
      this.options.onError(error, { tenantId: row.tenantId, analysisId: row.id });
      finished = failedBefore('INTERNAL_ERROR', 'the analysis failed on our side; it was logged');
    }
    try {
      if (!run.claimed) await this.store.claim(row.tenantId, row.id);
      const ended = await this.store.finish(row.tenantId, row.id, finished);
      if (!ended) return;
      await this.publisher.progress(row.tenantId, { analysisId: row.id, status: ended.status, progress: 1, stage: 'FINISHED', at: new Date() });
      await this.publisher.completed(row.tenantId, ended);
    } catch (error) {
      this.options.onError(error, { tenantId: row.tenantId, analysisId: row.id });
    }
  }

  private outcome(run: LiveRun): FinishedMotionAnalysis {
    const candidateTrackIds = [...run.seen].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    if (run.frames === 0) return failedBefore('SOURCE_FAILED', 'the camera delivered no frames in the window (is it running?)');
    if (candidateTrackIds.length === 0) return failedBefore('NO_PERSON', `nobody was tracked in the ${run.frames} frames of the window`);
    const main = this.mainTrack(run);
    if (main === null || run.session.seenFrames === 0) {
      return failedBefore('TRACK_NOT_FOUND', `track ${main} was not seen in the window; tracks seen: ${candidateTrackIds.join(', ')}`, { candidateTrackIds });
    }
    const final = run.session.finalReport();
    if (!final) return failedBefore('NO_PERSON', 'too few frames of the athlete to analyse');
    const track = {
      trackId: main,
      trackChoice: run.row.requestedTrackId === null ? ('MAIN' as const) : ('REQUESTED' as const),
      candidateTrackIds,
      fps: final.series.fps,
      frameCount: final.series.frames.length,
    };
    // Live reports every jump as it happened; the final pass keeps CMJ's best only, so the
    // stored events are the ones already published (the same numbers the client saw).
    const events = run.session.events().length > 0 ? run.session.events() : final.report.events;
    return finishedFromReport(final.report, run.row, track, events);
  }

  /** Ends every live analysis now (server shutdown): each is stored with what it has. */
  async close(): Promise<void> {
    await Promise.all([...this.runs.values()].map((run) => this.end(run)));
  }
}
