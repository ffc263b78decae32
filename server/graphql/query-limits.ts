import { type DocumentNode, type FragmentDefinitionNode, GraphQLError, Kind, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { ApiErrorCode } from '@trinetra/shared';

export interface QueryLimits {
  /** Deepest field nesting allowed (introspection fields excluded). */
  maxDepth: number;
  /** Largest estimated cost: one per field, multiplied by the `first` of enclosing lists. */
  maxCost: number;
}

export interface OperationSize {
  depth: number;
  cost: number;
}

/** Page size assumed for list fields whose `first` is not given (the connection default). */
const DEFAULT_LIST_SIZE = 20;

function numberValue(node: ValueNode, variables: Record<string, unknown>): number | null {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : null;
  }
  return null;
}

/**
 * Measures an operation before it runs, fragments included (a fragment cycle is cut, and
 * is rejected by validation anyway). Runs for HTTP in an Apollo plugin and for WebSocket
 * subscriptions in graphql-ws's onSubscribe, so both transports enforce the same limits.
 */
export function measureOperation(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> = {}): OperationSize {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) operation ??= def;
  }
  if (!operation) return { depth: 0, cost: 0 };

  let maxDepth = 0;
  let cost = 0;
  const visit = (set: SelectionSetNode, depth: number, multiplier: number, seen: ReadonlySet<string>): void => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value.startsWith('__')) continue;
        maxDepth = Math.max(maxDepth, depth);
        cost += multiplier;
        if (sel.selectionSet) {
          const first = sel.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
          // A connection (it selects `edges`) without `first` returns its default page size.
          const isConnection = sel.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'edges');
          const size = first ? (numberValue(first.value, variables) ?? DEFAULT_LIST_SIZE) : isConnection ? DEFAULT_LIST_SIZE : 1;
          visit(sel.selectionSet, depth + 1, multiplier * Math.max(1, size), seen);
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        visit(sel.selectionSet, depth, multiplier, seen);
      } else {
        const name = sel.name.value;
        const fragment = fragments.get(name);
        if (fragment && !seen.has(name)) visit(fragment.selectionSet, depth, multiplier, new Set([...seen, name]));
      }
    }
  };
  visit(operation.selectionSet, 1, 1, new Set());
  return { depth: maxDepth, cost };
}

/** Throws BAD_USER_INPUT (reason QUERY_TOO_DEEP / QUERY_TOO_COMPLEX) when over a limit. */
export function assertWithinLimits(size: OperationSize, limits: QueryLimits): void {
  if (size.depth > limits.maxDepth) {
    throw new GraphQLError(`query depth ${size.depth} exceeds the limit of ${limits.maxDepth}`, {
      extensions: { code: ApiErrorCode.BAD_USER_INPUT, reason: 'QUERY_TOO_DEEP', depth: size.depth, limit: limits.maxDepth, http: { status: 400 } },
    });
  }
  if (size.cost > limits.maxCost) {
    throw new GraphQLError(`query cost ${size.cost} exceeds the limit of ${limits.maxCost}`, {
      extensions: { code: ApiErrorCode.BAD_USER_INPUT, reason: 'QUERY_TOO_COMPLEX', cost: size.cost, limit: limits.maxCost, http: { status: 400 } },
    });
  }
}
