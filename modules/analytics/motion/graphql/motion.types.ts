import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, enumOf } from '@trinetra/shared';
import { MOTION_SPORTS, type MotionSport } from '../domain/motion-analysis';
import { MOTION_ANALYSIS_STATUSES, MOTION_FAILURE_REASONS, MOTION_SOURCE_KINDS } from '../application/motion-ports';

export const SportEnum = enumOf(MOTION_SPORTS);
export const AnalysisStatusEnum = enumOf(MOTION_ANALYSIS_STATUSES);
export const AnalysisFailureReasonEnum = enumOf(MOTION_FAILURE_REASONS);
export const AnalysisSourceKindEnum = enumOf(MOTION_SOURCE_KINDS);
export const TrackChoiceEnum = enumOf(['REQUESTED', 'MAIN'] as const);
export const AnalysisEventKindEnum = enumOf(['JUMP', 'REP', 'STEP'] as const);
export const AnalysisStageEnum = enumOf(['QUEUED', 'DECODING', 'ANALYSING', 'LIVE', 'FINISHED'] as const);
export const MetricScopeEnum = enumOf(['PER_EVENT', 'SUMMARY'] as const);
registerEnumType(SportEnum, { name: 'Sport', description: 'CMJ: countermovement jump. DROP_JUMP. SQUAT: reps. RUNNING: side view.' });
registerEnumType(AnalysisStatusEnum, { name: 'AnalysisStatus', description: 'QUEUED -> RUNNING -> DONE (numbers) | FAILED (a reason, no numbers).' });
registerEnumType(AnalysisFailureReasonEnum, {
  name: 'AnalysisFailureReason',
  description:
    'Why a FAILED analysis has no numbers: NO_EVENT_DETECTED (no jump/rep/step: wrong sport for the video?), INSUFFICIENT_FRAME_RATE, INSUFFICIENT_KEYPOINTS (body not visible), IMPLAUSIBLE (a value outside physiology, see flags), NO_PERSON, TRACK_NOT_FOUND, SOURCE_FAILED (the video could not be processed), INVALID_INPUT, INTERNAL_ERROR.',
});
registerEnumType(AnalysisSourceKindEnum, { name: 'AnalysisSourceKind' });
registerEnumType(TrackChoiceEnum, { name: 'TrackChoice', description: 'REQUESTED: options.trackId. MAIN: the main person, the largest in each frame (the athlete in front of the camera), stitched across track ids; trackId is the id they carried most often.' });
registerEnumType(AnalysisEventKindEnum, { name: 'AnalysisEventKind' });
registerEnumType(AnalysisStageEnum, { name: 'AnalysisStage' });
registerEnumType(MetricScopeEnum, { name: 'MetricScope' });

@ObjectType('SportMetric')
export class SportMetricGql {
  @Field(() => String) key!: string;
  @Field(() => String) unit!: string;
  @Field(() => String) description!: string;
  @Field(() => MetricScopeEnum) scope!: 'PER_EVENT' | 'SUMMARY';
}

@ObjectType('SportInfo')
export class SportInfoGql {
  @Field(() => SportEnum) sport!: MotionSport;
  @Field(() => String) title!: string;
  @Field(() => AnalysisEventKindEnum, { description: 'What one measured event is.' }) eventKind!: 'JUMP' | 'REP' | 'STEP';
  @Field(() => Float, { description: 'Below this frame rate the analysis answers INSUFFICIENT_FRAME_RATE.' }) minimumFps!: number;
  @Field(() => String, { description: 'How to place the camera.' }) cameraSetup!: string;
  @Field(() => String, { description: 'The body signal the results plot (COM_HEIGHT, KNEE_ANGLE, LOWER_ANKLE_HEIGHT).' }) plotSignal!: string;
  @Field(() => [SportMetricGql]) metrics!: SportMetricGql[];
}

@ObjectType('MetricValue')
export class MetricValueGql {
  @Field(() => String) key!: string;
  @Field(() => Float, { nullable: true, description: 'Null where it cannot be measured (a length without the athlete height).' }) value!: number | null;
  @Field(() => String) unit!: string;
}

@ObjectType('AnalysisEvent')
export class AnalysisEventGql {
  @Field(() => AnalysisEventKindEnum) kind!: 'JUMP' | 'REP' | 'STEP';
  @Field(() => Int, { description: '1-based within the analysis.' }) index!: number;
  @Field(() => Float, { description: 'Seconds from the analysed first frame.' }) startS!: number;
  @Field(() => Float) endS!: number;
  @Field(() => Float, { description: 'Mean keypoint confidence of hips, knees and ankles over its frames (0..1).' }) confidence!: number;
  @Field(() => Int) firstFrame!: number;
  @Field(() => Int) lastFrame!: number;
  @Field(() => [MetricValueGql]) values!: MetricValueGql[];
}

@ObjectType('AnalysisPhase')
export class AnalysisPhaseGql {
  @Field(() => String) name!: string;
  @Field(() => Float) startS!: number;
  @Field(() => Float) endS!: number;
}

@ObjectType('ImplausibleFlag')
export class ImplausibleFlagGql {
  @Field(() => String) check!: string;
  @Field(() => Float) observed!: number;
  @Field(() => Float) limit!: number;
  @Field(() => String) unit!: string;
}

@ObjectType('AnalysisSignal')
export class AnalysisSignalGql {
  @Field(() => String) name!: string;
  @Field(() => String) unit!: string;
  @Field(() => Float) fps!: number;
  @Field(() => [Float], { nullable: 'items', description: 'One value per frame; null where the body was not seen.' }) values!: (number | null)[];
}

@ObjectType('AnalysisSource')
export class AnalysisSourceGql {
  @Field(() => AnalysisSourceKindEnum) kind!: string;
  @Field(() => ID, { nullable: true }) videoJobId!: string | null;
  @Field(() => ID, { nullable: true }) cameraId!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) windowStart!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) windowEnd!: Date | null;
  @Field(() => String, { nullable: true }) filename!: string | null;
}

@ObjectType('Athlete')
export class AthleteGql {
  @Field(() => Float, { nullable: true }) heightCm!: number | null;
  @Field(() => Float, { nullable: true }) massKg!: number | null;
}

@ObjectType('Analysis')
export class AnalysisGql {
  @Field(() => ID) id!: string;
  @Field(() => SportEnum) sport!: MotionSport;
  @Field(() => AnalysisStatusEnum) status!: string;
  @Field(() => AnalysisFailureReasonEnum, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) reasonDetail!: string | null;
  @Field(() => AnalysisSourceGql) source!: AnalysisSourceGql;
  @Field(() => AthleteGql) athlete!: AthleteGql;
  @Field(() => Int, { nullable: true, description: 'The track analysed.' }) trackId!: number | null;
  @Field(() => TrackChoiceEnum, { nullable: true }) trackChoice!: string | null;
  @Field(() => Int, { nullable: true }) requestedTrackId!: number | null;
  @Field(() => [Int], { description: 'Every person tracked in the source, most frames first; pass one as options.trackId to analyse them.' })
  candidateTrackIds!: number[];
  @Field(() => Float, { nullable: true }) fps!: number | null;
  @Field(() => Int, { nullable: true }) frameCount!: number | null;
  @Field(() => Float, { description: '0..1' }) progress!: number;
  @Field(() => [MetricValueGql], { description: 'Summary numbers (DONE only).' }) metrics!: MetricValueGql[];
  @Field(() => [AnalysisPhaseGql]) phases!: AnalysisPhaseGql[];
  @Field(() => [ImplausibleFlagGql]) flags!: ImplausibleFlagGql[];
  @Field(() => AnalysisSignalGql, { nullable: true }) signal!: AnalysisSignalGql | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
}

export const AnalysisConnection = ConnectionType(AnalysisGql, 'Analysis');

@ObjectType('AnalysisProgress')
export class AnalysisProgressGql {
  @Field(() => ID) analysisId!: string;
  @Field(() => AnalysisStatusEnum) status!: string;
  @Field(() => AnalysisStageEnum) stage!: string;
  @Field(() => Float) progress!: number;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@ObjectType('MetricUpdate')
export class MetricUpdateGql {
  @Field(() => ID) analysisId!: string;
  @Field(() => SportEnum) sport!: MotionSport;
  @Field(() => ID, { nullable: true }) cameraId!: string | null;
  @Field(() => Int) trackId!: number;
  @Field(() => AnalysisEventGql) event!: AnalysisEventGql;
  @Field(() => GraphQLISODateTime, { description: 'Frame time of the end of the event.' }) at!: Date;
}

@InputType('VideoUploadInput')
export class VideoUploadInput {
  @Field(() => String, { description: 'A plain file name ending in .mp4, .m4v, .mov, .webm, .mkv or .avi.' }) filename!: string;
  @Field(() => String, { description: "The video's bytes, base64; bounded by the server's request body limit." }) contentBase64!: string;
}

@InputType('CameraWindowInput')
export class CameraWindowInput {
  @Field(() => ID) cameraId!: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Default now; live frames are not stored, so not in the past.' }) startAt?: Date | null;
  @Field(() => Int, { description: '1..600' }) durationSeconds!: number;
}

@InputType('AnalysisSourceInput', { description: 'Exactly one of upload, videoJobId, camera.' })
export class AnalysisSourceInput {
  @Field(() => VideoUploadInput, { nullable: true }) upload?: VideoUploadInput | null;
  @Field(() => ID, { nullable: true, description: 'A batch video job (done, or still running: the analysis waits for it).' }) videoJobId?: string | null;
  @Field(() => CameraWindowInput, { nullable: true }) camera?: CameraWindowInput | null;
}

@InputType('AthleteInput')
export class AthleteInput {
  @Field(() => Float, { nullable: true, description: '90..250; calibrates pixels to metres (lengths are null without it).' }) heightCm?: number | null;
  @Field(() => Float, { nullable: true, description: '20..300' }) massKg?: number | null;
}

@InputType('AnalysisOptionsInput')
export class AnalysisOptionsInput {
  @Field(() => Int, { nullable: true, description: 'Analyse this track instead of the main one (see Analysis.candidateTrackIds).' }) trackId?: number | null;
}

@InputType('CreateAnalysisInput')
export class CreateAnalysisInput {
  @Field(() => SportEnum) sport!: MotionSport;
  @Field(() => AnalysisSourceInput) source!: AnalysisSourceInput;
  @Field(() => AthleteInput, { nullable: true }) athlete?: AthleteInput | null;
  @Field(() => AnalysisOptionsInput, { nullable: true }) options?: AnalysisOptionsInput | null;
}
