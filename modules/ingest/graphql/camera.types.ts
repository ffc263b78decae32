import { Field, Float, GraphQLISODateTime, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { CAMERA_PERCEPTIONS, CAMERA_STATUS_REASONS, CAMERA_TIERS, ConnectionType, enumOf, type CameraPerception, type CameraStatusReason, type CameraTier } from '@trinetra/shared';

/** The GraphQL `CameraTier` enum, derived from the one definition in modules/shared. */
export const CameraTierEnum = enumOf(CAMERA_TIERS);
/** The GraphQL `CameraPerception` enum, derived from the one definition in modules/shared. */
export const CameraPerceptionEnum = enumOf(CAMERA_PERCEPTIONS);
/** The GraphQL `CameraStatusReason` enum, derived from the one definition in modules/shared. */
export const CameraStatusReasonEnum = enumOf(CAMERA_STATUS_REASONS);
export enum SourceKindEnum {
  FILE = 'FILE',
  NETWORK = 'NETWORK',
  UPLOAD = 'UPLOAD',
  SIMULATOR = 'SIMULATOR',
}
export enum CameraStatusEnum {
  IDLE = 'IDLE',
  CONNECTING = 'CONNECTING',
  LIVE = 'LIVE',
  STALLED = 'STALLED',
  RECONNECTING = 'RECONNECTING',
  FAILED = 'FAILED',
  STOPPED = 'STOPPED',
}
export enum DesiredStatusEnum {
  RUNNING = 'RUNNING',
  STOPPED = 'STOPPED',
}
registerEnumType(CameraTierEnum, { name: 'CameraTier', description: 'Drop policy class (docs/ARCHITECTURE.md): BILLING never drops; LIVE is latest-wins.' });
registerEnumType(CameraPerceptionEnum, {
  name: 'CameraPerception',
  description:
    'How the worker looks at the frames: SCENE (person detector, then pose per person; store cameras) or CLOSE_UP (multi-person pose over the whole frame; phones, webcams). Simulator cameras are always simulated.',
});
registerEnumType(CameraStatusReasonEnum, {
  name: 'CameraStatusReason',
  description:
    'Why a camera is not delivering frames: SOURCE_NOT_FOUND (file gone), SOURCE_UNREACHABLE (network camera did not answer), SOURCE_NOT_ALLOWED (address refused), DECODE_ERROR, STALLED (reconnecting), ENDED (a file reached its end).',
});
registerEnumType(SourceKindEnum, { name: 'SourceKind' });
registerEnumType(CameraStatusEnum, { name: 'CameraStatus' });
registerEnumType(DesiredStatusEnum, { name: 'DesiredStatus' });

const IDENTITY_INPUT_DESCRIPTION =
  'Embed the faces this camera sees for identity (default false). Needs the identity:write scope; turning it on records you as the one who consented, and when.';

@ObjectType()
export class Camera {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) purpose!: string;
  @Field(() => CameraTierEnum) tier!: CameraTier;
  @Field(() => SourceKindEnum) sourceKind!: SourceKindEnum;
  @Field(() => String, { nullable: true, description: 'Credentials are never returned.' }) sourceUrl!: string | null;
  @Field(() => Float) targetFps!: number;
  @Field(() => CameraPerceptionEnum) perception!: CameraPerception;
  @Field(() => Boolean, { description: 'SCENE only: the detector also runs on overlapping tiles (dense or small people).' }) tiled!: boolean;
  @Field(() => Boolean, { description: 'Faces seen by this camera are embedded for identity (off by default; turned on with consent).' }) identity!: boolean;
  @Field(() => String, { nullable: true, description: 'Who turned identity on (`user:<id>` or `apiKey:<id>`); null while it is off.' }) identityConsentBy!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When identity was turned on; null while it is off.' }) identityConsentAt!: Date | null;
  @Field(() => DesiredStatusEnum) desiredStatus!: DesiredStatusEnum;
  @Field(() => CameraStatusEnum) status!: CameraStatusEnum;
  @Field(() => GraphQLISODateTime) statusChangedAt!: Date;
  @Field(() => CameraStatusReasonEnum, { nullable: true, description: 'Why the source failed, stalled or ended; null once it starts again.' }) statusReason!: CameraStatusReason | null;
  @Field(() => String, { nullable: true, description: "The source's detail and what to do next, in words." }) statusMessage!: string | null;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

export const CameraConnection = ConnectionType(Camera, 'Camera');

@InputType()
export class CreateCameraInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'entrance, checkout, coaching, ... (default general)' }) purpose?: string;
  @Field(() => CameraTierEnum, { nullable: true }) tier?: CameraTier;
  @Field(() => SourceKindEnum) sourceKind!: SourceKindEnum;
  @Field(() => String, { nullable: true }) sourceUrl?: string | null;
  @Field(() => Float, { nullable: true }) targetFps?: number;
  @Field(() => CameraPerceptionEnum, { nullable: true, description: 'Default: CLOSE_UP for UPLOAD cameras, SCENE otherwise.' }) perception?: CameraPerception;
  @Field(() => Boolean, { nullable: true, description: 'SCENE only (default false).' }) tiled?: boolean;
  @Field(() => Boolean, { nullable: true, description: IDENTITY_INPUT_DESCRIPTION }) identity?: boolean;
}

@InputType()
export class UpdateCameraInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) purpose?: string;
  @Field(() => CameraTierEnum, { nullable: true }) tier?: CameraTier;
  @Field(() => SourceKindEnum, { nullable: true }) sourceKind?: SourceKindEnum;
  @Field(() => String, { nullable: true }) sourceUrl?: string | null;
  @Field(() => Float, { nullable: true }) targetFps?: number;
  @Field(() => CameraPerceptionEnum, { nullable: true, description: 'A running camera restarts with the new profile.' }) perception?: CameraPerception;
  @Field(() => Boolean, { nullable: true, description: 'SCENE only; switched off when perception leaves SCENE.' }) tiled?: boolean;
  @Field(() => Boolean, { nullable: true, description: IDENTITY_INPUT_DESCRIPTION }) identity?: boolean;
}

@ObjectType()
export class CameraStatusChanged {
  @Field(() => ID) cameraId!: string;
  @Field(() => CameraStatusEnum) status!: CameraStatusEnum;
  @Field(() => String, { nullable: true, description: 'In words: the detail and what to do next.' }) reason!: string | null;
  @Field(() => CameraStatusReasonEnum, { nullable: true }) statusReason!: CameraStatusReason | null;
  @Field(() => GraphQLISODateTime) at!: Date;
}
