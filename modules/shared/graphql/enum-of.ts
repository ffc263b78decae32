/**
 * A GraphQL enum object (`{ A: 'A', ... }`, what `registerEnumType` takes) built from a closed
 * list of values, so the list stays the one definition of the vocabulary.
 */
export function enumOf<const T extends string>(values: readonly T[]): { readonly [K in T]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { readonly [K in T]: K };
}
