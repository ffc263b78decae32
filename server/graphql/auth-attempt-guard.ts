import { createHash } from 'node:crypto';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getOperationAST,
  GraphQLError,
  Kind,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';
import { ApiErrorCode } from '@trinetra/shared';
import { rateLimitedError } from '../http/rate-limited-error';
import type { RateLimiter } from '../http/rate-limiter';

export interface AuthAttemptLimits {
  /** Failed signIn attempts per client address per window, whatever the e-mail (password spraying). */
  signInFailuresPerAddress: number;
  /** Failed signIn attempts per e-mail per window, from any address (guessing one account's password). */
  signInFailuresPerEmail: number;
  /** Window of both signIn failure counts. */
  signInWindowMs: number;
  /** signUp calls per client address per hour (tenant creation is costly: an argon2 hash and two rows). */
  signUpsPerAddressPerHour: number;
}

/** A guarded mutation about to run; handed back to `settle` with the operation's errors. */
export interface AuthAttempt {
  field: 'signIn' | 'signUp';
  responseKey: string;
  address: string;
  emailKey: string | null;
}

interface FormattedErrorLike {
  path?: readonly (string | number)[] | undefined;
  extensions?: Readonly<Record<string, unknown>> | undefined;
}

const GUARDED = new Set(['signIn', 'signUp']);
const HOUR_MS = 3_600_000;

/**
 * Limits credential guessing and sign-up floods on every transport. It works on the parsed
 * operation (before execution) and its errors (after), so HTTP and graphql-ws share it and
 * the auth resolver stays free of transport concerns. Only failures count for signIn: a user
 * who types the right password is never locked out by their own successful sign-ins.
 */
export class AuthAttemptGuard {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: AuthAttemptLimits,
  ) {}

  /** Throws RATE_LIMITED while the address or e-mail is locked, BAD_USER_INPUT for several auth fields in one operation. */
  async admit(
    document: DocumentNode,
    operationName: string | null | undefined,
    variables: Readonly<Record<string, unknown>>,
    address: string,
  ): Promise<AuthAttempt | null> {
    const operation = getOperationAST(document, operationName);
    if (!operation || operation.operation !== 'mutation') return null;
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    const fields = rootFields(operation.selectionSet, fragments, new Set()).filter((f) => GUARDED.has(f.name.value));
    const [field] = fields;
    if (!field) return null;
    if (fields.length > 1) {
      throw new GraphQLError('send one signIn or signUp per request', {
        extensions: { code: ApiErrorCode.BAD_USER_INPUT, reason: 'TOO_MANY_AUTH_FIELDS', http: { status: 400 } },
      });
    }
    const attempt: AuthAttempt = {
      field: field.name.value as AuthAttempt['field'],
      responseKey: field.alias?.value ?? field.name.value,
      address,
      emailKey: null,
    };
    if (attempt.field === 'signUp') {
      const decision = await this.limiter.hit(`signup:ip:${address}`, this.limits.signUpsPerAddressPerHour, HOUR_MS);
      if (!decision.allowed)
        throw rateLimitedError(`sign-up limit of ${this.limits.signUpsPerAddressPerHour} per hour reached for this address`, decision.retryAfterMs);
      return attempt;
    }
    attempt.emailKey = emailKeyOf(field, variables);
    const { signInFailuresPerAddress: perAddress, signInFailuresPerEmail: perEmail, signInWindowMs: windowMs } = this.limits;
    const checks = await Promise.all([
      this.limiter.peek(`signin-fail:ip:${address}`, perAddress, windowMs),
      attempt.emailKey ? this.limiter.peek(`signin-fail:email:${attempt.emailKey}`, perEmail, windowMs) : null,
    ]);
    const refused = checks.filter((c) => c !== null && !c.allowed);
    if (refused.length > 0) throw rateLimitedError('too many failed sign-in attempts', Math.max(...refused.map((c) => c!.retryAfterMs)));
    return attempt;
  }

  /** Counts a failed signIn (its field answered UNAUTHENTICATED) against the address and the e-mail. */
  async settle(attempt: AuthAttempt | null, errors: readonly FormattedErrorLike[] | undefined): Promise<void> {
    if (attempt?.field !== 'signIn' || !errors) return;
    const failed = errors.some((e) => e.path?.[0] === attempt.responseKey && e.extensions?.['code'] === ApiErrorCode.UNAUTHENTICATED);
    if (!failed) return;
    const { signInFailuresPerAddress: perAddress, signInFailuresPerEmail: perEmail, signInWindowMs: windowMs } = this.limits;
    await Promise.all([
      this.limiter.record(`signin-fail:ip:${attempt.address}`, perAddress, windowMs),
      attempt.emailKey ? this.limiter.record(`signin-fail:email:${attempt.emailKey}`, perEmail, windowMs) : null,
    ]);
  }
}

function rootFields(set: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) fields.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(sel.selectionSet, fragments, seen));
    else {
      const fragment = fragments.get(sel.name.value);
      if (fragment && !seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        fields.push(...rootFields(fragment.selectionSet, fragments, seen));
      }
    }
  }
  return fields;
}

/** The e-mail of `signIn(input: { email })`, normalized and hashed so Redis keys hold no addresses. */
function emailKeyOf(field: FieldNode, variables: Readonly<Record<string, unknown>>): string | null {
  const input = field.arguments?.find((a) => a.name.value === 'input');
  if (!input) return null;
  const value: unknown = valueFromASTUntyped(input.value, variables as Record<string, unknown>);
  const email = value && typeof value === 'object' ? (value as Record<string, unknown>)['email'] : undefined;
  if (typeof email !== 'string') return null;
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 32);
}
