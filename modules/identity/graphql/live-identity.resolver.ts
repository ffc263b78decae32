import { Arg, Authorized, Ctx, Field, Float, GraphQLISODateTime, ID, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { z } from 'zod';
import { type GraphQLContext, UnauthenticatedError } from '@trinetra/shared';
import type { IdentityMatchedEvent, IdentityWeakMatchEvent, LiveTrackIdentifier } from '../application/live-track-identifier';
import { IDENTITY_MATCHED_TOPIC, IDENTITY_WEAK_MATCH_TOPIC } from '../infra/live-identity.adapters';

@ObjectType({ description: 'A live track that identity named (after the vote over frames and the sighting gate).' })
export class IdentityMatched {
  @Field(() => ID) cameraId!: string;
  @Field(() => Int, { description: 'The track id of frameResults on that camera.' }) trackId!: number;
  @Field(() => ID) personId!: string;
  @Field(() => String) displayName!: string;
  @Field(() => Float, { description: 'Mean cosine similarity of the frames that voted for the name.' }) similarity!: number;
  @Field(() => Int, { description: 'Which visit of this person this is (1 = first; a new visit starts after 30 minutes unseen).' }) visitNumber!: number;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@ObjectType({ description: 'A live track close to someone enrolled but below the accept threshold (review band): never says who.' })
export class IdentityWeakMatch {
  @Field(() => ID) cameraId!: string;
  @Field(() => Int, { description: 'The track id of frameResults on that camera.' }) trackId!: number;
  @Field(() => Float, { description: 'Cosine similarity of the first weak frame (between the review and accept thresholds).' }) similarity!: number;
  @Field(() => GraphQLISODateTime) at!: Date;
}

function tenantOf(ctx: GraphQLContext): string {
  if (!ctx.principal) throw new UnauthenticatedError('sign in or send an API key');
  return ctx.principal.tenantId;
}

/** A camera id that is not a UUID cannot be anyone's: it matches nothing (like a foreign one). */
const isUuid = (id: string): boolean => z.string().uuid().safeParse(id).success;

/** Names on live tracks: biometric results, so both need identity:read. */
@Resolver()
export class LiveIdentityResolver {
  constructor(private readonly identifier: LiveTrackIdentifier) {}

  @Authorized('identity:read')
  @Query(() => [IdentityMatched], { description: "The named tracks of one of your running cameras right now (the live view's labels); empty for another tenant's camera." })
  liveTrackIdentities(@Arg('cameraId', () => ID) cameraId: string, @Ctx() ctx: GraphQLContext): IdentityMatched[] {
    const tenantId = tenantOf(ctx);
    return isUuid(cameraId) ? this.identifier.labels(tenantId, cameraId) : [];
  }

  @Authorized('identity:read')
  @Query(() => [IdentityWeakMatch], {
    description: "The weakly matched tracks of one of your running cameras right now that were not named since (the live view's unconfirmed badges); never says who; empty for another tenant's camera.",
  })
  liveWeakMatches(@Arg('cameraId', () => ID) cameraId: string, @Ctx() ctx: GraphQLContext): IdentityWeakMatch[] {
    const tenantId = tenantOf(ctx);
    // Built field by field: whatever the identifier's state holds, only these leave the server.
    return isUuid(cameraId)
      ? this.identifier.weakMatches(tenantId, cameraId).map((w) => ({ cameraId: w.cameraId, trackId: w.trackId, similarity: w.similarity, at: w.at }))
      : [];
  }

  @Authorized('identity:read')
  @Subscription(() => IdentityMatched, {
    topics: IDENTITY_MATCHED_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: IdentityMatchedEvent; args: { cameraId?: string | null } }) => !args.cameraId || payload.cameraId === args.cameraId,
    description: 'A live track was named: once per track, after 5 agreeing frames; strangers are never named.',
  })
  identityMatched(@Root() event: IdentityMatchedEvent, @Arg('cameraId', () => ID, { nullable: true }) _cameraId?: string | null): IdentityMatched {
    return { ...event, at: new Date(event.at) };
  }

  @Authorized('identity:read')
  @Subscription(() => IdentityWeakMatch, {
    topics: IDENTITY_WEAK_MATCH_TOPIC,
    topicId: ({ context }: { context: GraphQLContext }) => tenantOf(context),
    filter: ({ payload, args }: { payload: IdentityWeakMatchEvent; args: { cameraId?: string | null } }) => !args.cameraId || payload.cameraId === args.cameraId,
    description: 'A live track matched someone only weakly (review band): once per track, with no person id or name.',
  })
  identityWeakMatch(@Root() event: IdentityWeakMatchEvent, @Arg('cameraId', () => ID, { nullable: true }) _cameraId?: string | null): IdentityWeakMatch {
    return { cameraId: event.cameraId, trackId: event.trackId, similarity: event.similarity, at: new Date(event.at) };
  }
}
