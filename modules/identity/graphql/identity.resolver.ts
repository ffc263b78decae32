import { Arg, Args, Authorized, Ctx, Float, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import {
  type Connection,
  ConnectionArgs,
  type GraphQLContext,
  InvalidInputError,
  NotFoundError,
  pageRequest,
  type Principal,
  toConnection,
  UnauthenticatedError,
} from '@trinetra/shared';
import type { CameraGraphService } from '../application/camera-graph.service';
import type { CameraIdentityService } from '../application/camera-identity.service';
import type { FaceEmbeddingPort, FacePhotoResult } from '../application/face-embedding.port';
import type { GalleryMatcher } from '../application/gallery-matcher';
import { MODEL_THRESHOLDS } from '../application/gallery-matcher';
import type { IdentityAuditWriter } from '../application/identity-audit';
import type { IdentitySettingsService } from '../application/identity-settings.service';
import type { IdentitySightingsService } from '../application/identity-sightings.service';
import type { PersonGalleryService, PersonView } from '../application/person-gallery.service';
import type { VectorIndex } from '../application/vector-index.port';
import { MAX_EMBEDDINGS_PER_PERSON } from '../domain/open-set-matcher';
import {
  AddPersonPhotoInput,
  CameraIdentity,
  EnrollPersonInput,
  FaceMatch,
  MatchFacePhotoInput,
  IdentityAuditEntry,
  IdentityCameraLink,
  IdentityCameraLinkInput,
  IdentityHealth,
  IdentitySettings,
  Person,
  PersonConnection,
  PersonErasure,
  TagPersonInput,
} from './identity.types';

/** Largest decoded photo accepted for enrolment; face crops are far smaller. */
export const MAX_ENROLL_PHOTO_BYTES = 2_000_000;

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
const isUuid = (id: string) => z.string().uuid().safeParse(id).success;

function principalOf(ctx: GraphQLContext): Principal {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal;
}

const actorOf = (p: Principal): string => `${p.kind}:${p.id}`;

/** Base64 photos to bytes, each checked at the edge (field-named errors). */
function decodePhotos(photos: readonly string[], field: string): Buffer[] {
  return photos.map((p, i) => {
    const trimmed = p.replace(/\s+/g, '');
    if (!base64.test(trimmed)) throw new InvalidInputError(`${field}[${i}] is not base64`, { field: `${field}[${i}]` });
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_ENROLL_PHOTO_BYTES)
      throw new InvalidInputError(`${field}[${i}] must be 1 byte to ${MAX_ENROLL_PHOTO_BYTES} bytes`, { field: `${field}[${i}]` });
    return bytes;
  });
}

/** Every photo must have given one face; otherwise one error that names each bad photo, and nothing is enrolled. */
function embeddingsOrThrow(results: readonly FacePhotoResult[], field: string): number[][] {
  const bad = results.flatMap((r, i) => (r.ok ? [] : [{ index: i, reason: r.code, message: r.message }]));
  if (bad.length > 0) {
    throw new InvalidInputError(bad.map((b) => `${field}[${b.index}]: ${b.message} (${b.reason})`).join('; '), { field, photos: bad });
  }
  return results.map((r) => (r.ok ? r.embedding : []));
}

/**
 * People, their tags and photos, erasure, the audit log, per-camera identity consent, the
 * camera graph and identity health. Biometric data: nothing here is in MEMBER's default scopes.
 */
@Resolver()
export class IdentityResolver {
  constructor(
    private readonly gallery: PersonGalleryService,
    private readonly faces: FaceEmbeddingPort,
    private readonly cameras: CameraIdentityService,
    private readonly graphs: CameraGraphService,
    private readonly settings: IdentitySettingsService,
    private readonly matcher: GalleryMatcher,
    private readonly sightings: IdentitySightingsService,
    private readonly index: VectorIndex,
    private readonly audit: IdentityAuditWriter,
  ) {}

  @Authorized('identity:read')
  @Query(() => PersonConnection, { description: 'Enrolled people, oldest first; `tag` keeps only people with that tag.' })
  async persons(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('tag', () => String, { nullable: true }) tag: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Connection<PersonView>> {
    const { take, after } = pageRequest(args);
    if (tag != null && (tag.length === 0 || tag.length > 40)) throw new InvalidInputError('tag must be 1-40 characters', { field: 'tag' });
    const rows = await this.gallery.list(principalOf(ctx).tenantId, { first: take + 1, ...(after ? { after } : {}), ...(tag ? { tag } : {}) });
    return toConnection({ items: rows.slice(0, take), hasNextPage: rows.length > take });
  }

  @Authorized('identity:read')
  @Query(() => Person)
  person(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Person> {
    const principal = principalOf(ctx);
    if (!isUuid(id)) throw new NotFoundError('Person', id);
    return this.gallery.get(principal.tenantId, id);
  }

  @Authorized('identity:write')
  @Mutation(() => Person, { description: 'Enrols a person from face photos; the photos are embedded and discarded, only encrypted embeddings are kept.' })
  async enrollPerson(@Arg('input', () => EnrollPersonInput) input: EnrollPersonInput, @Ctx() ctx: GraphQLContext): Promise<Person> {
    const principal = principalOf(ctx);
    if (input.photos.length === 0 || input.photos.length > MAX_EMBEDDINGS_PER_PERSON) {
      throw new InvalidInputError(`send 1 to ${MAX_EMBEDDINGS_PER_PERSON} photos, got ${input.photos.length}`, { field: 'photos' });
    }
    const embeddings = embeddingsOrThrow(await this.faces.embedFacePhotos(decodePhotos(input.photos, 'photos')), 'photos');
    return this.gallery.enroll(principal.tenantId, actorOf(principal), {
      displayName: input.displayName,
      tags: input.tags ?? [],
      model: this.faces.model,
      embeddings,
    });
  }

  @Authorized('identity:write')
  @Mutation(() => Person, { description: `Adds one face photo to a person (at most ${MAX_EMBEDDINGS_PER_PERSON} per person).` })
  async addPersonPhoto(@Arg('input', () => AddPersonPhotoInput) input: AddPersonPhotoInput, @Ctx() ctx: GraphQLContext): Promise<Person> {
    const principal = principalOf(ctx);
    if (!isUuid(input.personId)) throw new NotFoundError('Person', input.personId);
    await this.gallery.get(principal.tenantId, input.personId); // NOT_FOUND before any model work
    const [embedding] = embeddingsOrThrow(await this.faces.embedFacePhotos(decodePhotos([input.photo], 'photo')), 'photo');
    return this.gallery.addEmbedding(principal.tenantId, actorOf(principal), input.personId, this.faces.model, embedding!);
  }

  @Authorized('identity:write')
  @Mutation(() => Person, { description: 'Replaces the tags of a person.' })
  tagPerson(@Arg('input', () => TagPersonInput) input: TagPersonInput, @Ctx() ctx: GraphQLContext): Promise<Person> {
    const principal = principalOf(ctx);
    if (!isUuid(input.personId)) throw new NotFoundError('Person', input.personId);
    return this.gallery.tag(principal.tenantId, actorOf(principal), input.personId, input.tags);
  }

  @Authorized('identity:write')
  @Mutation(() => PersonErasure, { description: 'Erases a person and every embedding of them (Postgres and the vector index, one transaction); one audit record remains.' })
  erasePerson(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<PersonErasure> {
    const principal = principalOf(ctx);
    if (!isUuid(id)) throw new NotFoundError('Person', id);
    return this.gallery.erase(principal.tenantId, actorOf(principal), id);
  }

  @Authorized('identity:read')
  @Query(() => [IdentityAuditEntry], { description: 'Newest first.' })
  identityAuditLog(@Arg('limit', () => Int, { defaultValue: 100 }) limit: number, @Ctx() ctx: GraphQLContext): Promise<IdentityAuditEntry[]> {
    if (limit < 1 || limit > 500) throw new InvalidInputError('limit must be 1-500', { field: 'limit' });
    return this.gallery.auditLog(principalOf(ctx).tenantId, limit);
  }

  @Authorized('identity:read')
  @Query(() => CameraIdentity, { description: 'Whether identity is on for a camera, and who consented when.' })
  cameraIdentity(@Arg('cameraId', () => ID) cameraId: string, @Ctx() ctx: GraphQLContext): Promise<CameraIdentity> {
    const principal = principalOf(ctx);
    if (!isUuid(cameraId)) throw new NotFoundError('Camera', cameraId);
    return this.cameras.get(principal.tenantId, cameraId);
  }

  @Authorized('identity:write')
  @Mutation(() => CameraIdentity, { description: "Sets a camera's threshold offset (±0.2). Identity itself is turned on with updateCamera(identity: true)." })
  setCameraThresholdOffset(
    @Arg('cameraId', () => ID) cameraId: string,
    @Arg('thresholdOffset', () => Float) thresholdOffset: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CameraIdentity> {
    const principal = principalOf(ctx);
    if (!isUuid(cameraId)) throw new NotFoundError('Camera', cameraId);
    return this.cameras.setThresholdOffset(principal.tenantId, actorOf(principal), cameraId, thresholdOffset);
  }

  @Authorized('identity:read')
  @Query(() => FaceMatch, { description: 'Matches one face photo against the gallery as seen on a camera; FORBIDDEN (CONSENT_REQUIRED) when identity is off there. Audited.' })
  async matchFacePhoto(@Arg('input', () => MatchFacePhotoInput) input: MatchFacePhotoInput, @Ctx() ctx: GraphQLContext): Promise<FaceMatch> {
    const principal = principalOf(ctx);
    if (!isUuid(input.cameraId)) throw new NotFoundError('Camera', input.cameraId);
    await this.cameras.assertEnabled(principal.tenantId, input.cameraId);
    const [embedding] = embeddingsOrThrow(await this.faces.embedFacePhotos(decodePhotos([input.photo], 'photo')), 'photo');
    const decision = await this.matcher.match(principal.tenantId, { model: this.faces.model, embedding: embedding!, cameraId: input.cameraId });
    await this.audit.write(principal.tenantId, {
      action: 'MATCH',
      personId: decision.kind === 'MATCH' ? decision.personId : null,
      actor: actorOf(principal),
      detail: `photo matched on camera ${input.cameraId}: ${decision.kind}`,
    });
    // A weak match is not a name: REVIEW carries no person id out of the API.
    return { kind: decision.kind, personId: decision.kind === 'MATCH' ? decision.personId : null, similarity: decision.similarity };
  }

  @Authorized('identity:read')
  @Query(() => [IdentityCameraLink], { description: 'The camera graph: least transit times between cameras.' })
  identityCameraLinks(@Ctx() ctx: GraphQLContext): Promise<IdentityCameraLink[]> {
    return this.graphs.links(principalOf(ctx).tenantId);
  }

  @Authorized('identity:write')
  @Mutation(() => [IdentityCameraLink], { description: 'Replaces the camera graph.' })
  setIdentityCameraLinks(@Arg('links', () => [IdentityCameraLinkInput]) links: IdentityCameraLinkInput[], @Ctx() ctx: GraphQLContext): Promise<IdentityCameraLink[]> {
    const principal = principalOf(ctx);
    for (const [i, l] of links.entries()) {
      if (!isUuid(l.fromCameraId)) throw new NotFoundError('Camera', l.fromCameraId);
      if (!isUuid(l.toCameraId)) throw new NotFoundError('Camera', l.toCameraId);
      if (!Number.isInteger(l.minTransitSeconds)) throw new InvalidInputError(`links[${i}].minTransitSeconds must be an integer`, { field: `links[${i}]` });
    }
    return this.graphs.replace(principal.tenantId, actorOf(principal), links);
  }

  @Authorized('identity:read')
  @Query(() => IdentitySettings)
  identitySettings(@Ctx() ctx: GraphQLContext): Promise<IdentitySettings> {
    return this.settings.get(principalOf(ctx).tenantId);
  }

  @Authorized('identity:write')
  @Mutation(() => IdentitySettings)
  setIdentitySettings(@Arg('unknownRetentionHours', () => Int) unknownRetentionHours: number, @Ctx() ctx: GraphQLContext): Promise<IdentitySettings> {
    const principal = principalOf(ctx);
    return this.settings.set(principal.tenantId, actorOf(principal), { unknownRetentionHours });
  }

  @Authorized('identity:read')
  @Query(() => IdentityHealth, { description: 'Drift per camera, flicker, false merges and gate rejections since the server started.' })
  async identityHealth(@Ctx() ctx: GraphQLContext): Promise<IdentityHealth> {
    const tenantId = principalOf(ctx).tenantId;
    const totals = await this.sightings.totals(tenantId);
    const thresholds = MODEL_THRESHOLDS[this.faces.model]!;
    return {
      enrolledPeople: await this.gallery.count(tenantId),
      indexedVectors: await this.index.count(tenantId, this.faces.model),
      acceptThreshold: thresholds.accept,
      reviewThreshold: thresholds.review,
      drift: this.matcher.driftOf(tenantId).report(),
      weakMatches: this.matcher.weakMatches(tenantId),
      flicker: totals.flicker,
      falseMerges: totals.falseMerges,
      gateRejections: Object.entries(totals.gateRejections).map(([reason, count]) => ({ reason, count })),
    };
  }
}
