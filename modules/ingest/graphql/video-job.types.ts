import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, enumOf } from '@trinetra/shared';
import { VIDEO_JOB_WARNINGS, type VideoJobWarning } from '../batch/video-job';

export enum VideoJobStatusEnum {
  QUEUED = 'queued',
  PROCESSING = 'processing',
  DONE = 'done',
  FAILED = 'failed',
  MISSING_FILE = 'missing_file',
}
export enum ManifestProblemKindEnum {
  MALFORMED = 'malformed',
  MISSING_FILE = 'missing_file',
  DUPLICATE = 'duplicate',
}
export enum VideoJobProgressKindEnum {
  STARTED = 'started',
  FRAMES = 'frames',
  FINISHED = 'finished',
}
registerEnumType(VideoJobStatusEnum, { name: 'VideoJobStatus', description: 'queued -> processing -> done | failed; MISSING_FILE when the path does not exist on the server.' });
registerEnumType(ManifestProblemKindEnum, { name: 'ManifestProblemKind', description: 'MALFORMED rows are skipped (no job); MISSING_FILE and DUPLICATE rows get a job.' });
registerEnumType(VideoJobProgressKindEnum, { name: 'VideoJobProgressKind' });
/** The GraphQL `VideoJobWarningCode` enum, from the one list in batch/video-job.ts. */
export const VideoJobWarningCodeEnum = enumOf(VIDEO_JOB_WARNINGS);
registerEnumType(VideoJobWarningCodeEnum, { name: 'VideoJobWarningCode', description: 'NO_DETECTIONS: frames were processed but nobody was detected.' });

@ObjectType()
export class VideoJobWarningObject {
  @Field(() => VideoJobWarningCodeEnum) code!: VideoJobWarning;
  @Field(() => String, { description: 'What it means and what to try.' }) message!: string;
}

@ObjectType()
export class MetadataEntry {
  @Field(() => String) key!: string;
  @Field(() => String) value!: string;
}

@ObjectType('VideoJob', { description: 'One video of a manifest, processed in the server.' })
export class VideoJobObject {
  @Field(() => ID) id!: string;
  @Field(() => ID) manifestId!: string;
  @Field(() => Int, { description: '1-based line of the row in the manifest (the header is line 1).' }) line!: number;
  @Field(() => String, { description: 'A path on the server machine.' }) localPath!: string;
  @Field(() => String) filename!: string;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => String, { nullable: true }) remoteUrl!: string | null;
  @Field(() => [MetadataEntry], { description: 'Manifest columns other than local_path, label, filename, remote_url.' }) metadata!: MetadataEntry[];
  @Field(() => String, { nullable: true }) sha1!: string | null;
  @Field(() => ID, { nullable: true, description: 'The job (same SHA-1) whose output this one reuses.' }) duplicateOfId!: string | null;
  @Field(() => VideoJobStatusEnum) status!: VideoJobStatusEnum;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => GraphQLISODateTime) queuedAt!: Date;
  @Field(() => GraphQLISODateTime, { nullable: true }) startedAt!: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) finishedAt!: Date | null;
  @Field(() => Int, { nullable: true }) frameCount!: number | null;
  @Field(() => Float, { nullable: true, description: 'Mean quality 0..1 of the output.' }) quality!: number | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 hex of the JSONL.gz output as stored.' }) outputSha256!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Download link of the output (DONE jobs): a path on this API server, signed and valid for 15 minutes, e.g. /outputs/<id>?tenant=..&expires=..&sig=... Or GET /outputs/<id> with an Authorization header (docs/SECURITY.md).',
  })
  outputUrl!: string | null;
  @Field(() => [VideoJobWarningObject], { description: 'Warnings about the result, e.g. NO_DETECTIONS (a DONE job in which nobody was detected).' }) warnings!: VideoJobWarningObject[];
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

export const VideoJobConnection = ConnectionType(VideoJobObject, 'VideoJob');

@ObjectType()
export class VideoJobCounts {
  @Field(() => Int) queued!: number;
  @Field(() => Int) processing!: number;
  @Field(() => Int) done!: number;
  @Field(() => Int) failed!: number;
  @Field(() => Int) missingFile!: number;
  @Field(() => Int) total!: number;
  @Field(() => Boolean, { description: 'Nothing queued or processing.' }) finished!: boolean;
}

@ObjectType('ManifestRowProblem')
export class ManifestRowProblemObject {
  @Field(() => Int) line!: number;
  @Field(() => ManifestProblemKindEnum) kind!: ManifestProblemKindEnum;
  @Field(() => String) message!: string;
  @Field(() => ID, { nullable: true, description: 'The job created for the row (none for a malformed row).' }) jobId!: string | null;
  @Field(() => ID, { nullable: true }) duplicateOfJobId!: string | null;
}

@ObjectType()
export class ManifestImport {
  @Field(() => ID) manifestId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) encoding!: string;
  @Field(() => String) delimiter!: string;
  @Field(() => Int, { description: 'Jobs created: queued + duplicates + missing.' }) jobs!: number;
  @Field(() => Int) queued!: number;
  @Field(() => Int) duplicates!: number;
  @Field(() => Int) missing!: number;
  @Field(() => Int) malformed!: number;
  @Field(() => [ManifestRowProblemObject], { description: 'Malformed, missing and duplicate rows, by line.' }) problems!: ManifestRowProblemObject[];
}

@ObjectType()
export class ResumeVideoJobsResult {
  @Field(() => Int) requeuedFailed!: number;
  @Field(() => Int) requeuedOrphaned!: number;
  @Field(() => VideoJobCounts, { description: "The tenant's jobs right after requeueing." }) counts!: VideoJobCounts;
}

@ObjectType('VideoJobProgress')
export class VideoJobProgressObject {
  @Field(() => ID) manifestId!: string;
  @Field(() => VideoJobProgressKindEnum) kind!: VideoJobProgressKindEnum;
  @Field(() => ID) jobId!: string;
  @Field(() => Int) line!: number;
  @Field(() => String) filename!: string;
  @Field(() => VideoJobStatusEnum) status!: VideoJobStatusEnum;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int, { nullable: true }) frames!: number | null;
  @Field(() => Int, { nullable: true }) totalFrames!: number | null;
  @Field(() => VideoJobCounts, { description: 'Jobs of this manifest.' }) counts!: VideoJobCounts;
  @Field(() => VideoJobCounts, { description: 'Jobs of the whole tenant.' }) tenantCounts!: VideoJobCounts;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@InputType()
export class ImportManifestInput {
  @Field(() => String, { description: 'The CSV text: header row with local_path (paths on the server machine); label, filename, remote_url optional.' }) csv!: string;
  @Field(() => String, { nullable: true, description: 'Shown in listings; default manifest.csv.' }) name?: string | null;
}
