import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { ApiErrorCode } from '@trinetra/shared';

export interface QueryLimits {
  /** Deepest field nesting allowed, introspection included (type-reference `ofType` chains are free, see below). */
  maxDepth: number;
  /** Largest estimated cost: one per field (introspection and `__typename` included), multiplied by the `first` of enclosing lists. */
  maxCost: number;
  /** Most aliased fields in one operation: aliases are how one request asks for the same thing thousands of times. */
  maxAliases: number;
}

export interface OperationSize {
  depth: number;
  cost: number;
  aliases: number;
  /** Most introspection list fields (`types`, `fields`, ...) nested on one path. */
  introspectionListDepth: number;
}

/** Page size assumed for list fields whose `first` is not given (the connection default). */
const DEFAULT_LIST_SIZE = 20;

/**
 * Introspection list fields. Each returns tens to hundreds of items, so nesting them multiplies
 * the response (`types { fields { type { fields ... } } }` turned 33 KB into 5.6 MB). The IDE's
 * own introspection query nests at most three (`types > fields > args`), which is the limit.
 */
const INTROSPECTION_LISTS = new Set(['types', 'fields', 'args', 'inputFields', 'enumValues', 'interfaces', 'possibleTypes', 'directives']);
const MAX_INTROSPECTION_LIST_DEPTH = 3;
/** What a type reference selects: following `ofType` through these is bounded by the schema's wrapping depth and returns one object per level. */
const TYPE_REF_FIELDS = new Set(['kind', 'name', 'ofType', '__typename']);

function numberValue(node: ValueNode, variables: Readonly<Record<string, unknown>>): number | null {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : null;
  }
  return null;
}

/** The operation's variables as execution will see them: given values, else the declared defaults. */
function resolvedVariables(operation: OperationDefinitionNode, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const resolved: Record<string, unknown> = { ...given };
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if ((resolved[name] === undefined || !(name in given)) && def.defaultValue) resolved[name] = valueFromASTUntyped(def.defaultValue);
  }
  return resolved;
}

/** True when `field` is an `ofType` whose selection is only a type reference (kind, name, ofType...). */
function isTypeRefChain(field: FieldNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): boolean {
  if (field.name.value !== 'ofType' || !field.selectionSet) return false;
  const onlyRefs = (set: SelectionSetNode, seen: ReadonlySet<string>): boolean =>
    set.selections.every((s) => {
      if (s.kind === Kind.FIELD) return TYPE_REF_FIELDS.has(s.name.value) && (!s.selectionSet || onlyRefs(s.selectionSet, seen));
      if (s.kind === Kind.INLINE_FRAGMENT) return onlyRefs(s.selectionSet, seen);
      const fragment = fragments.get(s.name.value);
      return !fragment || seen.has(s.name.value) || onlyRefs(fragment.selectionSet, new Set([...seen, s.name.value]));
    });
  return onlyRefs(field.selectionSet, new Set());
}

/**
 * Measures an operation before it runs, fragments and introspection included (a fragment
 * cycle is cut, and is rejected by validation anyway). Runs for HTTP in an Apollo plugin and
 * for graphql-ws in onSubscribe, so both transports enforce the same limits. Variables are
 * resolved as execution will (a default value counts), so `query($n: Int = 100000)` costs
 * what it asks for.
 */
export function measureOperation(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> = {},
): OperationSize {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return { depth: 0, cost: 0, aliases: 0, introspectionListDepth: 0 };
  const values = resolvedVariables(operation, variables);

  let maxDepth = 0;
  let cost = 0;
  let aliases = 0;
  let introspectionListDepth = 0;
  const visit = (set: SelectionSetNode, depth: number, lists: number | null, multiplier: number, seen: ReadonlySet<string>): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.alias) aliases += 1;
        const free = isTypeRefChain(sel, fragments);
        const fieldDepth = free ? depth - 1 : depth;
        maxDepth = Math.max(maxDepth, fieldDepth);
        cost += multiplier;
        // `lists` is null outside introspection: our own fields may be called `fields` or `types`.
        const inIntrospection = lists ?? (sel.name.value === '__schema' || sel.name.value === '__type' ? 0 : null);
        const fieldLists = inIntrospection !== null && INTROSPECTION_LISTS.has(sel.name.value) ? inIntrospection + 1 : inIntrospection;
        introspectionListDepth = Math.max(introspectionListDepth, fieldLists ?? 0);
        if (sel.selectionSet) {
          const first = sel.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
          // A connection (it selects `edges`) without `first` returns its default page size.
          const isConnection = sel.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'edges');
          const size = first ? (numberValue(first.value, values) ?? DEFAULT_LIST_SIZE) : isConnection ? DEFAULT_LIST_SIZE : 1;
          visit(sel.selectionSet, fieldDepth + 1, fieldLists, multiplier * Math.max(1, size), seen);
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        visit(sel.selectionSet, depth, lists, multiplier, seen);
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name)) visit(fragment.selectionSet, depth, lists, multiplier, new Set([...seen, name]));
      }
    }
  };
  visit(operation.selectionSet, 1, null, 1, new Set());
  return { depth: maxDepth, cost, aliases, introspectionListDepth };
}

function limitError(message: string, reason: string, details: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ApiErrorCode.BAD_USER_INPUT, reason, ...details, http: { status: 400 } } });
}

/** Throws BAD_USER_INPUT (reason QUERY_TOO_DEEP / QUERY_TOO_COMPLEX / TOO_MANY_ALIASES) when over a limit. */
export function assertWithinLimits(size: OperationSize, limits: QueryLimits): void {
  if (size.aliases > limits.maxAliases) {
    throw limitError(`${size.aliases} aliased fields exceed the limit of ${limits.maxAliases}`, 'TOO_MANY_ALIASES', {
      aliases: size.aliases,
      limit: limits.maxAliases,
    });
  }
  if (size.depth > limits.maxDepth) {
    throw limitError(`query depth ${size.depth} exceeds the limit of ${limits.maxDepth}`, 'QUERY_TOO_DEEP', { depth: size.depth, limit: limits.maxDepth });
  }
  if (size.introspectionListDepth > MAX_INTROSPECTION_LIST_DEPTH) {
    throw limitError(`${size.introspectionListDepth} nested introspection lists exceed the limit of ${MAX_INTROSPECTION_LIST_DEPTH}`, 'QUERY_TOO_DEEP', {
      depth: size.introspectionListDepth,
      limit: MAX_INTROSPECTION_LIST_DEPTH,
    });
  }
  if (size.cost > limits.maxCost) {
    throw limitError(`query cost ${size.cost} exceeds the limit of ${limits.maxCost}`, 'QUERY_TOO_COMPLEX', { cost: size.cost, limit: limits.maxCost });
  }
}
