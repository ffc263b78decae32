import {
  type DocumentNode,
  getNamedType,
  getOperationAST,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  typeFromAST,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { ApiErrorCode } from '@trinetra/shared';

/**
 * Longest ID accepted. Our ids are UUIDs (36 characters); the margin is for prefixed ids.
 * Capping here means a resolver's "X <id> not found" can never echo a huge input back.
 */
export const MAX_ID_LENGTH = 128;

/** A NUL (Postgres text cannot hold it) or a UTF-16 surrogate without its pair (not valid Unicode). */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badInput(message: string, reason: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ApiErrorCode.BAD_USER_INPUT, reason, field, http: { status: 400 } } });
}

function checkString(value: string, isId: boolean, field: string): void {
  if (UNSTORABLE.test(value)) throw badInput(`${field}: text must be valid Unicode without NUL characters`, 'INVALID_STRING', field);
  if (isId && value.length > MAX_ID_LENGTH) throw badInput(`${field}: an ID is at most ${MAX_ID_LENGTH} characters`, 'ID_TOO_LONG', field);
}

function checkValue(type: GraphQLInputType | undefined, value: unknown, field: string): void {
  if (value === null || value === undefined) return;
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (typeof value === 'string') {
    checkString(value, inner !== undefined && getNamedType(inner).name === 'ID', field);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkValue(inner && isListType(inner) ? inner.ofType : inner, item, `${field}[${i}]`));
  } else if (typeof value === 'object') {
    const fields = inner && isInputObjectType(inner) ? inner.getFields() : undefined;
    for (const [key, item] of Object.entries(value)) checkValue(fields?.[key]?.type, item, `${field}.${key}`);
  }
}

/**
 * Refuses, before execution, input no resolver should have to think about: strings Postgres
 * cannot store or that are not valid Unicode, and overlong IDs. Checks literals in the
 * document and the operation's variable values (defaults included), on both transports.
 * Errors name the field, never the value.
 */
export function assertSafeInputs(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>>,
): void {
  const operation = getOperationAST(document, operationName);
  if (!operation) return;
  for (const def of operation.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    const value = name in variables ? variables[name] : def.defaultValue ? valueFromASTUntyped(def.defaultValue) : undefined;
    checkValue(typeFromAST(schema, def.type) as GraphQLInputType | undefined, value, name);
  }
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      StringValue(node) {
        const type = typeInfo.getInputType();
        checkString(node.value, type !== null && getNamedType(type)?.name === 'ID', typeInfo.getArgument()?.name ?? 'argument');
      },
    }),
  );
}
