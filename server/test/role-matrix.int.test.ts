import { randomUUID } from 'node:crypto';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { hasScope, type Scope } from '@trinetra/shared';
import { ROLE_SCOPES, ROLES, type Role } from '../auth/roles';
import { gql, signUpTenant, startTestApp, type TestApp } from './support/test-app';

/**
 * The role matrix: every mutation of the schema x every role (and no credentials). The list of
 * mutations comes from the running server's schema, and each one's rule from its resolver's
 * `@Authorized(scope)`, so a new mutation is in this test the moment it exists: without a scope,
 * and not on the public list below, it fails here. Each call carries placeholder arguments
 * (random ids, "x", the first enum value) built from the schema: authorization runs before the
 * resolver, so the answer says whether the role was let in (anything but MISSING_SCOPE) or not.
 */

/** Mutations anyone may call: they are how one gets credentials, or they only end them. */
const PUBLIC_MUTATIONS = new Set(['signUp', 'signIn', 'refreshToken', 'signOut', 'acceptInvite']);

let t: TestApp;
let schema: GraphQLSchema;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  t = await startTestApp({ RATE_LIMIT_ANON_PER_MIN: '100000' });
  const { accessToken } = await signUpTenant(t.url, 'Matrix');
  tokens.set('OWNER', accessToken);
  for (const role of ROLES.filter((r) => r !== 'OWNER')) {
    const email = `${role.toLowerCase()}${Date.now()}@matrix.test`;
    const invited = await gql<{ inviteMember: { token: string } }>(t.url, `mutation($i: InviteMemberInput!) { inviteMember(input: $i) { token } }`, { i: { email, role } }, accessToken);
    const accepted = await gql<{ acceptInvite: { accessToken: string } }>(t.url, `mutation($i: AcceptInviteInput!) { acceptInvite(input: $i) { accessToken } }`, {
      i: { token: invited.data!.inviteMember.token, password: 'matrix password 1' },
    });
    tokens.set(role, accepted.data!.acceptInvite.accessToken);
  }
  const introspection = await gql<IntrospectionQuery>(t.url, getIntrospectionQuery(), {}, accessToken);
  schema = buildClientSchema(introspection.data!);
});

afterAll(async () => {
  await t?.stop();
});

/** The scopes each mutation's resolver declares, by schema name; undefined when it declares none. */
function declaredScopes(): Map<string, Scope[] | undefined> {
  const storage = getMetadataStorage();
  const out = new Map<string, Scope[] | undefined>();
  for (const m of storage.mutations) {
    const field = storage.authorizedFields.find((a) => a.target === m.target && a.fieldName === m.methodName);
    const onClass = storage.authorizedResolver.find((a) => a.target === m.target);
    out.set(m.schemaName, (field ?? onClass)?.roles as Scope[] | undefined);
  }
  return out;
}

/** A value of `type` that passes GraphQL validation (only required input fields are filled). */
function placeholder(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return [];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = placeholder(f.type);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return randomUUID();
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return false;
      case 'DateTimeISO':
        return new Date().toISOString();
      case 'JSON':
      case 'JSONObject':
        return {};
      default:
        return 'x';
    }
  }
  throw new Error(`no placeholder for ${String(type)}`);
}

/** `mutation($a: T!) { name(a: $a) { __typename } }` with placeholder variables. */
function operationOf(name: string): { query: string; variables: Record<string, unknown> } {
  const field = schema.getMutationType()!.getFields()[name]!;
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const decl = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  return {
    query: `mutation${decl ? `(${decl})` : ''} { ${name}${call ? `(${call})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, placeholder(a.type)])),
  };
}

function allowed(role: Role, required: readonly Scope[]): boolean {
  const principal = { kind: 'user' as const, id: 'x', tenantId: 'x', scopes: new Set(ROLE_SCOPES[role]) };
  return required.every((s) => hasScope(principal, s));
}

describe('role matrix: every mutation x every role', () => {
  it('every mutation of the schema has a rule: a scope, or a place on the public list', () => {
    const rules = declaredScopes();
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(mutations.length).toBeGreaterThan(20);
    const withoutRule = mutations.filter((m) => !PUBLIC_MUTATIONS.has(m) && !(rules.get(m)?.length ?? 0));
    expect(withoutRule).toEqual([]);
    // A public mutation that gained a scope (or vanished) is stale here.
    expect([...PUBLIC_MUTATIONS].filter((m) => !mutations.includes(m) || (rules.get(m)?.length ?? 0) > 0)).toEqual([]);
  });

  it('lets each role in exactly where the permission table (server/auth/roles.ts) says, and nobody in without credentials', async () => {
    const rules = declaredScopes();
    const mutations = Object.keys(schema.getMutationType()!.getFields())
      .filter((m) => !PUBLIC_MUTATIONS.has(m))
      .sort();
    const expected: string[] = [];
    const actual: string[] = [];
    for (const name of mutations) {
      const required = rules.get(name)!;
      const { query, variables } = operationOf(name);
      const anonymous = await gql(t.url, query, variables);
      expect({ name, code: anonymous.errors?.[0]?.extensions?.['code'] }).toEqual({ name, code: 'UNAUTHENTICATED' });
      // Least powerful first: a placeholder call that an allowed role makes cannot change what a later one is judged on.
      for (const role of [...ROLES].reverse()) {
        const res = await gql(t.url, query, variables, tokens.get(role));
        const refused = res.errors?.some((e) => e.extensions?.['reason'] === 'MISSING_SCOPE') ?? false;
        // Anything else (validation, NOT_FOUND, success) means the role got past authorization.
        expect(res.errors?.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED') ?? false).toBe(false);
        expected.push(`${name} ${role} ${allowed(role, required) ? 'allowed' : 'refused'}`);
        actual.push(`${name} ${role} ${refused ? 'refused' : 'allowed'}`);
      }
    }
    expect(actual).toEqual(expected);
    // The table is not trivially open or closed: VIEWER changes nothing, OWNER everything.
    expect(actual.filter((l) => l.includes(' VIEWER ') && l.endsWith('allowed'))).toEqual([]);
    expect(actual.filter((l) => l.includes(' OWNER ') && l.endsWith('refused'))).toEqual([]);
  });
});
