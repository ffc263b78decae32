import { z } from 'zod';
import { InvalidInputError, NotFoundError, parseInput, type Cursor, type Page } from '@trinetra/shared';
import { MOTION_SPORTS, type MotionSport } from '../domain/motion-analysis';
import type {
  MotionAnalysisFilter,
  MotionAnalysisQueue,
  MotionAnalysisQuota,
  MotionAnalysisRow,
  MotionAnalysisStore,
  MotionCameraLookup,
  MotionResultRow,
  MotionVideoSource,
  NewMotionAnalysis,
} from './motion-ports';
import type { LiveMotionHub } from './live-motion.hub';

/** Largest uploaded video, bytes (the request body limit usually bites first; see README). */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** Longest live window, seconds. */
export const MAX_LIVE_WINDOW_S = 600;
/** A live window may start this far in the past (the request's own latency), ms. */
const LIVE_START_SLACK_MS = 10_000;
/** ... and at most this far ahead, ms. */
const LIVE_START_AHEAD_MS = 3_600_000;

const VIDEO_EXTENSIONS = /\.(mp4|m4v|mov|webm|mkv|avi)$/i;

const uuid = z.string().uuid();
const inputSchema = z
  .object({
    sport: z.enum(MOTION_SPORTS),
    source: z
      .object({
        upload: z
          .object({
            // A bare file name: no folders, no control characters, a video extension.
            filename: z
              .string()
              .min(1)
              .max(200)
              .refine((n) => !/[/\\]/.test(n) && ![...n].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) && n !== '.' && n !== '..', 'must be a plain file name')
              .refine((n) => VIDEO_EXTENSIONS.test(n), 'must end in .mp4, .m4v, .mov, .webm, .mkv or .avi'),
            contentBase64: z
              .string()
              .min(1, 'is empty')
              .max(Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 4, `is over ${MAX_UPLOAD_BYTES} bytes`)
              .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64'),
          })
          .nullish(),
        videoJobId: z.string().nullish(),
        camera: z
          .object({
            cameraId: z.string(),
            startAt: z.date().nullish(),
            durationSeconds: z.number().int().min(1).max(MAX_LIVE_WINDOW_S),
          })
          .nullish(),
      })
      .refine((s) => [s.upload, s.videoJobId, s.camera].filter((x) => x !== null && x !== undefined).length === 1, 'give exactly one of upload, videoJobId, camera'),
    athlete: z
      .object({
        heightCm: z.number().min(90).max(250).nullish(),
        massKg: z.number().min(20).max(300).nullish(),
      })
      .nullish(),
    options: z.object({ trackId: z.number().int().min(0).max(2_147_483_647).nullish() }).nullish(),
  })
  .strict();

/** What `createAnalysis` accepts (the GraphQL input, validated here). */
export type CreateMotionAnalysisInput = z.input<typeof inputSchema>;

/**
 * Creates analyses and reads them. A batch analysis (uploaded video, finished or running video
 * job) is stored QUEUED and handed to the queue: the request returns at once and a worker does
 * the decoding and measuring. A live analysis (a window of a camera) is registered with the
 * {@link LiveMotionHub}, which measures frames as the camera delivers them.
 */
export class MotionAnalysisService {
  constructor(
    private readonly store: MotionAnalysisStore,
    private readonly deps: {
      queue: MotionAnalysisQueue;
      videos: MotionVideoSource;
      cameraExists: MotionCameraLookup;
      quota: MotionAnalysisQuota;
      live: LiveMotionHub;
      clock?: () => Date;
    },
  ) {}

  /** @throws InvalidInputError (BAD_USER_INPUT, field named), NotFoundError, the quota's FORBIDDEN. */
  async create(tenantId: string, raw: CreateMotionAnalysisInput): Promise<MotionAnalysisRow> {
    const input = parseInput(inputSchema, raw);
    const now = (this.deps.clock ?? (() => new Date()))();
    const { source } = input;
    // Check what can be checked before spending the quota.
    if (source.videoJobId) {
      if (!uuid.safeParse(source.videoJobId).success) throw new NotFoundError('VideoJob', source.videoJobId);
      await this.deps.videos.assertJobExists(tenantId, source.videoJobId);
    }
    let window: { start: Date; end: Date } | null = null;
    if (source.camera) {
      const { cameraId, startAt, durationSeconds } = source.camera;
      if (!uuid.safeParse(cameraId).success || !(await this.deps.cameraExists(tenantId, cameraId))) throw new NotFoundError('Camera', cameraId);
      const start = startAt ?? now;
      // Live frames are measured as they arrive and not kept: a window that has passed cannot be read.
      if (start.getTime() < now.getTime() - LIVE_START_SLACK_MS) {
        throw parseError('source.camera.startAt', 'is in the past: live frames are not stored, so a window must start now or later');
      }
      if (start.getTime() > now.getTime() + LIVE_START_AHEAD_MS) throw parseError('source.camera.startAt', 'is more than an hour ahead');
      window = { start, end: new Date(start.getTime() + durationSeconds * 1000) };
    }
    let content: Buffer | null = null;
    if (source.upload) {
      content = Buffer.from(source.upload.contentBase64, 'base64');
      if (content.length === 0) throw parseError('source.upload.contentBase64', 'is empty');
      if (content.length > MAX_UPLOAD_BYTES) throw parseError('source.upload.contentBase64', `is over ${MAX_UPLOAD_BYTES} bytes`);
    }
    await this.deps.quota.assertCanCreate(tenantId);

    let videoJobId = source.videoJobId ?? null;
    if (source.upload && content) videoJobId = (await this.deps.videos.submitUpload(tenantId, source.upload.filename, content)).videoJobId;
    const analysis: NewMotionAnalysis = {
      sport: input.sport,
      sourceKind: source.upload ? 'UPLOAD' : source.videoJobId ? 'VIDEO_JOB' : 'CAMERA_WINDOW',
      videoJobId,
      cameraId: source.camera?.cameraId ?? null,
      windowStart: window?.start ?? null,
      windowEnd: window?.end ?? null,
      filename: source.upload?.filename ?? null,
      athleteHeightCm: input.athlete?.heightCm ?? null,
      athleteMassKg: input.athlete?.massKg ?? null,
      requestedTrackId: input.options?.trackId ?? null,
    };
    const row = await this.store.create(tenantId, analysis);
    await this.deps.quota.recordCreated(tenantId, row.id, new Date(row.createdAt));
    if (row.sourceKind === 'CAMERA_WINDOW') await this.deps.live.register(row);
    else await this.deps.queue.enqueue(tenantId, row.id);
    return row;
  }

  async get(tenantId: string, id: string): Promise<MotionAnalysisRow> {
    const row = uuid.safeParse(id).success ? await this.store.get(tenantId, id) : null;
    if (!row) throw new NotFoundError('Analysis', id);
    return row;
  }

  page(tenantId: string, filter: MotionAnalysisFilter, take: number, after: Cursor | null): Promise<Page<MotionAnalysisRow>> {
    return this.store.page(tenantId, filter, take, after);
  }

  results(tenantId: string, analysisId: string): Promise<MotionResultRow[]> {
    return this.store.results(tenantId, analysisId);
  }
}

/** BAD_USER_INPUT naming the field, shaped like `parseInput`'s errors. */
function parseError(field: string, message: string): InvalidInputError {
  return new InvalidInputError(`${field}: ${message}`, { field, issues: [{ field, message }] });
}

/** A sport from user text (the GraphQL enum already limits it; this is for other callers). */
export function isMotionSport(value: string): value is MotionSport {
  return (MOTION_SPORTS as readonly string[]).includes(value);
}
