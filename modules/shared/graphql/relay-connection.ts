import { type ClassType, Field, InputType, Int, ObjectType, ArgsType } from 'type-graphql';
import { InvalidInputError } from '../domain/app-error';

/** Keyset position of a row in a list ordered by (createdAt, id). Opaque to clients. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString('base64url');
}

/** Longest cursor we ever make (an ISO date and a UUID, base64url); anything longer is not ours. */
const MAX_CURSOR_LENGTH = 128;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Decodes a cursor, or throws BAD_USER_INPUT. Cursors are opaque but not signed, so a forged
 * one must be refused here, before its id or date reach Postgres (a non-UUID id or an
 * out-of-range date used to come back as INTERNAL).
 */
export function decodeCursor(value: string): Cursor {
  if (value.length <= MAX_CURSOR_LENGTH) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
      if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string' && UUID.test(parsed[1])) {
        const createdAt = new Date(parsed[0]);
        // Only dates we could have written: the exact ISO form of a plausible instant.
        const year = createdAt.getUTCFullYear();
        if (year >= 2000 && year <= 9999 && createdAt.toISOString() === parsed[0]) return { createdAt, id: parsed[1] };
      }
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  throw new InvalidInputError('after: malformed cursor', { field: 'after' });
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  /** Page size; bounded so one request cannot ask for the whole table. */
  @Field(() => Int, { defaultValue: 20 }) first!: number;
  @Field(() => String, { nullable: true }) after?: string | null;
}

export const MAX_PAGE_SIZE = 100;

/** Validates `first`/`after` at the edge and turns them into a keyset page request. */
export function pageRequest(args: ConnectionArgs): { take: number; after: Cursor | null } {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_PAGE_SIZE) {
    throw new InvalidInputError(`first must be between 1 and ${MAX_PAGE_SIZE}`, { field: 'first' });
  }
  return { take: args.first, after: args.after ? decodeCursor(args.after) : null };
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** Maps a page of rows (fetched with take+1) to a Relay connection. */
export function toConnection<T extends Cursor>(page: Page<T>): Connection<T> {
  const edges = page.items.map((node) => ({ node, cursor: encodeCursor(node) }));
  return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Builds the `XConnection`/`XEdge` GraphQL types for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => nodeType) node!: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

// InputType is re-exported so modules build their inputs from one import site.
export { InputType };
