import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray, type PubSub } from 'type-graphql';
import { scopeAuthChecker } from '../auth/auth-checker';

/** A resolver class with the instance that serves it (resolvers get their services through constructors). */
export type ResolverBinding = readonly [new (...args: never[]) => object, object];

/**
 * Builds the one schema from every module's resolvers. type-graphql asks the container for
 * resolver instances, so each is built at the composition root with its services injected.
 */
export async function buildGraphQLSchema(bindings: readonly ResolverBinding[], pubSub: PubSub): Promise<GraphQLSchema> {
  const instances = new Map<unknown, object>(bindings.map(([cls, instance]) => [cls, instance]));
  return buildSchema({
    resolvers: bindings.map(([cls]) => cls) as unknown as NonEmptyArray<new (...args: never[]) => object>,
    container: {
      get: (cls: unknown) => {
        const instance = instances.get(cls);
        if (!instance) throw new Error(`no instance bound for resolver ${String((cls as { name?: string }).name)}`);
        return instance;
      },
    },
    authChecker: scopeAuthChecker,
    pubSub,
    validate: false,
  });
}
