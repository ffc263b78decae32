import 'reflect-metadata';
import { createPubSub } from '@graphql-yoga/subscription';
import { graphql, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { type GraphQLContext, hasScope, type Principal, type Scope } from '@trinetra/shared';
import type { MatchDecision } from '../domain/open-set-matcher';
import { LiveTrackIdentifier } from '../application/live-track-identifier';
import { LiveIdentityResolver } from './live-identity.resolver';

// A real identifier fed constructed sightings: [3, x] is a weak (review-band) resemblance of
// p-ann at similarity 0.55, [1, x] a match. The schema is built from the resolver with a scope
// check like the server's, so the query is exercised as a client sends it.
const CAM = '5f0c8c44-2f7e-4b55-9d7c-0a8c4f1d2e3a';
const matcher = {
  match: async (_t: string, q: { embedding: readonly number[] }): Promise<MatchDecision> =>
    q.embedding[0] === 1 ? { kind: 'MATCH', personId: 'p-ann', similarity: 0.8 } : { kind: 'REVIEW', personId: 'p-ann', similarity: 0.55 },
};

const QUERY = `query($id: ID!) { liveWeakMatches(cameraId: $id) { cameraId trackId similarity at } }`;

function context(tenantId: string | null, scopes: Scope[]): GraphQLContext {
  const principal: Principal | null = tenantId ? { kind: 'user', id: 'u1', tenantId, scopes: new Set(scopes) } : null;
  return { requestId: 'r', principal, loader: () => { throw new Error('no loaders here'); } };
}

describe('liveWeakMatches (the live view of a page opened after identityWeakMatch went out)', () => {
  let identifier: LiveTrackIdentifier;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    identifier = new LiveTrackIdentifier({ matcher, names: { displayName: async () => 'Ann' }, publisher: { identityMatched: () => undefined } });
    schema = await buildSchema({
      resolvers: [LiveIdentityResolver],
      container: { get: () => new LiveIdentityResolver(identifier) },
      authChecker: ({ context: ctx }: { context: GraphQLContext }, required: Scope[]) => {
        if (!ctx.principal) throw new Error('UNAUTHENTICATED');
        return required.every((s) => hasScope(ctx.principal!, s));
      },
      pubSub: createPubSub() as unknown as PubSub,
      validate: false,
    });
    identifier.onFaces('T', CAM, 1_000, [{ trackId: 4, embedding: [3, 0] }, { trackId: 9, embedding: [1, 0] }]);
    await identifier.idle();
  });

  it('answers the weak track with its similarity, and the type cannot carry a person', async () => {
    const res = await graphql({ schema, source: QUERY, variableValues: { id: CAM }, contextValue: context('T', ['identity:read']) });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ liveWeakMatches: [{ cameraId: CAM, trackId: 4, similarity: 0.55, at: new Date(1_000).toISOString() }] });
    const fields = Object.keys((schema.getType('IdentityWeakMatch') as unknown as { getFields(): object }).getFields());
    expect(fields.sort()).toEqual(['at', 'cameraId', 'similarity', 'trackId']);
  });

  it("another tenant's view of the same camera id, and a camera id that is not a UUID, are empty", async () => {
    for (const [tenant, id] of [['OTHER', CAM], ['T', 'not-a-uuid']] as const) {
      const res = await graphql({ schema, source: QUERY, variableValues: { id }, contextValue: context(tenant, ['identity:read']) });
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ liveWeakMatches: [] });
    }
  });

  it('needs identity:read (biometric results)', async () => {
    const res = await graphql({ schema, source: QUERY, variableValues: { id: CAM }, contextValue: context('T', ['cameras:read']) });
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.message).toMatch(/access denied/i);
  });
});
