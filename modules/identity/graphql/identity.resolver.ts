import { Arg, Authorized, Ctx, Field, GraphQLISODateTime, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { z } from 'zod';
import { type GraphQLContext, InvalidInputError, NotFoundError, type Principal, UnauthenticatedError } from '@trinetra/shared';
import { MAX_EMBEDDINGS_PER_PERSON } from '../domain/open-set-matcher';
import type { FaceEmbeddingPort } from '../application/face-embedding.port';
import type { PersonGalleryService } from '../application/person-gallery.service';

/** Largest decoded photo accepted for enrolment; face crops are far smaller. */
export const MAX_ENROLL_PHOTO_BYTES = 2_000_000;

@ObjectType({ description: 'An enrolled person. Embeddings are never returned.' })
export class Person {
  @Field(() => ID) id!: string;
  @Field(() => String) displayName!: string;
  @Field(() => Int) embeddingCount!: number;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
}

@ObjectType({ description: 'The result of erasing a person: every embedding is gone.' })
export class PersonErasure {
  @Field(() => ID) personId!: string;
  @Field(() => Int) embeddingsErased!: number;
}

@ObjectType({ description: 'One append-only identity audit record.' })
export class IdentityAuditEntry {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'ENROLL or ERASE.' }) action!: string;
  @Field(() => ID, { nullable: true }) personId!: string | null;
  @Field(() => String, { description: '`user:<id>` or `apiKey:<id>`.' }) actor!: string;
  @Field(() => String) detail!: string;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@InputType()
export class EnrollPersonInput {
  @Field(() => String) displayName!: string;
  @Field(() => [String], { description: `1 to ${MAX_EMBEDDINGS_PER_PERSON} face photos (PNG or JPEG, base64), one face each, roughly centred.` })
  photos!: string[];
}

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

function principalOf(ctx: GraphQLContext): Principal {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal;
}

const actorOf = (p: Principal): string => `${p.kind}:${p.id}`;

/** Enrolment, listing and erasure of people; biometric data, so nothing here is in MEMBER's default scopes. */
@Resolver()
export class IdentityResolver {
  constructor(
    private readonly gallery: PersonGalleryService,
    private readonly faces: FaceEmbeddingPort,
  ) {}

  @Authorized('identity:read')
  @Query(() => [Person])
  persons(@Ctx() ctx: GraphQLContext): Promise<Person[]> {
    return this.gallery.list(principalOf(ctx).tenantId);
  }

  @Authorized('identity:write')
  @Mutation(() => Person, { description: 'Enrols a person from face photos; the photos are embedded and discarded, only encrypted embeddings are kept.' })
  async enrollPerson(@Arg('input', () => EnrollPersonInput) input: EnrollPersonInput, @Ctx() ctx: GraphQLContext): Promise<Person> {
    const principal = principalOf(ctx);
    if (input.photos.length === 0 || input.photos.length > MAX_EMBEDDINGS_PER_PERSON) {
      throw new InvalidInputError(`send 1 to ${MAX_EMBEDDINGS_PER_PERSON} photos, got ${input.photos.length}`);
    }
    const photos = input.photos.map((p, i) => {
      const trimmed = p.replace(/\s+/g, '');
      if (!base64.test(trimmed)) throw new InvalidInputError(`photos[${i}] is not base64`);
      const bytes = Buffer.from(trimmed, 'base64');
      if (bytes.length === 0 || bytes.length > MAX_ENROLL_PHOTO_BYTES)
        throw new InvalidInputError(`photos[${i}] must be 1 byte to ${MAX_ENROLL_PHOTO_BYTES} bytes`);
      return bytes;
    });
    const embeddings = await this.faces.embedFaces(photos);
    return this.gallery.enroll(principal.tenantId, actorOf(principal), { displayName: input.displayName, model: this.faces.model, embeddings });
  }

  @Authorized('identity:write')
  @Mutation(() => PersonErasure, { description: 'Erases a person and every embedding of them; one audit record remains.' })
  erasePerson(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<PersonErasure> {
    const principal = principalOf(ctx);
    if (!z.string().uuid().safeParse(id).success) throw new NotFoundError('Person', id);
    return this.gallery.erase(principal.tenantId, actorOf(principal), id);
  }

  @Authorized('identity:read')
  @Query(() => [IdentityAuditEntry], { description: 'Newest first.' })
  identityAuditLog(@Arg('limit', () => Int, { defaultValue: 100 }) limit: number, @Ctx() ctx: GraphQLContext): Promise<IdentityAuditEntry[]> {
    if (limit < 1 || limit > 500) throw new InvalidInputError('limit must be 1-500');
    return this.gallery.auditLog(principalOf(ctx).tenantId, limit);
  }
}
