import { Field, Float, GraphQLISODateTime, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@trinetra/shared';
import { MAX_EMBEDDINGS_PER_PERSON } from '../domain/open-set-matcher';

@ObjectType({ description: 'An enrolled person. Embeddings are never returned.' })
export class Person {
  @Field(() => ID) id!: string;
  @Field(() => String) displayName!: string;
  @Field(() => [String], { description: 'Labels such as VIP.' }) tags!: string[];
  @Field(() => Int) embeddingCount!: number;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

export const PersonConnection = ConnectionType(Person, 'Person');

@ObjectType({ description: 'The result of erasing a person: every embedding is gone.' })
export class PersonErasure {
  @Field(() => ID) personId!: string;
  @Field(() => Int) embeddingsErased!: number;
}

@ObjectType({ description: 'One append-only identity audit record.' })
export class IdentityAuditEntry {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'ENROLL, ADD_PHOTO, TAG, ERASE, MATCH, CAMERA_OFFSET, GRAPH or SETTINGS.' }) action!: string;
  @Field(() => ID, { nullable: true }) personId!: string | null;
  @Field(() => String, { description: '`user:<id>`, `apiKey:<id>` or `system:<what>`.' }) actor!: string;
  @Field(() => String) detail!: string;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@InputType()
export class EnrollPersonInput {
  @Field(() => String) displayName!: string;
  @Field(() => [String], { nullable: true, description: 'Labels such as VIP (at most 20).' }) tags?: string[] | null;
  @Field(() => [String], { description: `1 to ${MAX_EMBEDDINGS_PER_PERSON} face photos (PNG or JPEG, base64), one face each.` })
  photos!: string[];
}

@InputType()
export class AddPersonPhotoInput {
  @Field(() => ID) personId!: string;
  @Field(() => String, { description: 'One face photo (PNG or JPEG, base64).' }) photo!: string;
}

@InputType()
export class TagPersonInput {
  @Field(() => ID) personId!: string;
  @Field(() => [String], { description: 'The full new tag list (replaces the old one).' }) tags!: string[];
}

@ObjectType({ description: 'Identity on one camera: off by default; on only with a recorded consent (Camera.identity).' })
export class CameraIdentity {
  @Field(() => ID) cameraId!: string;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => String, { nullable: true, description: 'Who turned identity on (`user:<id>`).' }) consentBy!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) consentAt!: Date | null;
  @Field(() => Float, { description: 'Added to the accept and review thresholds on this camera (±0.2).' }) thresholdOffset!: number;
}

@ObjectType()
export class IdentityCameraLink {
  @Field(() => ID) fromCameraId!: string;
  @Field(() => ID) toCameraId!: string;
  @Field(() => Int) minTransitSeconds!: number;
}

@InputType()
export class IdentityCameraLinkInput {
  @Field(() => ID) fromCameraId!: string;
  @Field(() => ID) toCameraId!: string;
  @Field(() => Int) minTransitSeconds!: number;
  @Field(() => Boolean, { defaultValue: true, description: 'Also the way back, with the same time.' }) bidirectional!: boolean;
}

@ObjectType()
export class IdentitySettings {
  @Field(() => Int, { description: "Hours an unknown visitor's vector is kept after its last sighting (default 24)." }) unknownRetentionHours!: number;
}

@ObjectType({ description: "Drift of one camera: accepted matches' mean similarity now against before." })
export class CameraDriftHealth {
  @Field(() => ID) cameraId!: string;
  @Field(() => Float, { nullable: true }) recentMean!: number | null;
  @Field(() => Int) recentSamples!: number;
  @Field(() => Float, { nullable: true }) baselineMean!: number | null;
  @Field(() => Boolean) alert!: boolean;
}

@ObjectType()
export class GateRejectionCount {
  @Field(() => String, { description: 'TOO_FAST, UNREACHABLE, COMPANION or CONCURRENT.' }) reason!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'How identity is doing for the tenant since the server started.' })
export class IdentityHealth {
  @Field(() => Int) enrolledPeople!: number;
  @Field(() => Int) indexedVectors!: number;
  @Field(() => Float) acceptThreshold!: number;
  @Field(() => Float) reviewThreshold!: number;
  @Field(() => [CameraDriftHealth]) drift!: CameraDriftHealth[];
  @Field(() => Int, { description: 'Review-band matches (UNKNOWN_IDENTITY: close to someone, never named).' }) weakMatches!: number;
  @Field(() => Int) flicker!: number;
  @Field(() => Int) falseMerges!: number;
  @Field(() => [GateRejectionCount]) gateRejections!: GateRejectionCount[];
}

@InputType()
export class MatchFacePhotoInput {
  @Field(() => ID, { description: 'The camera the face is taken as seen on: identity must be on for it (consent), and its threshold offset applies.' })
  cameraId!: string;
  @Field(() => String, { description: 'One face photo (PNG or JPEG, base64); embedded and discarded.' }) photo!: string;
}

@ObjectType({ description: 'An open-set decision: MATCH names a person; REVIEW is a weak match (never a name); UNKNOWN is nobody enrolled.' })
export class FaceMatch {
  @Field(() => String, { description: 'MATCH, REVIEW or UNKNOWN.' }) kind!: string;
  @Field(() => ID, { nullable: true, description: 'Set for MATCH only.' }) personId!: string | null;
  @Field(() => Float) similarity!: number;
}
