import { GraphQLError } from 'graphql';
import { InvalidInputError } from '@trinetra/shared';
import { createLogger } from '../observability/logger';
import { createErrorFormatter } from './error-formatter';

/** What Prisma throws when Postgres refuses a value: its message names the query, the column and our source file. */
function prismaLikeError(): Error {
  const error = new Error(
    '\nInvalid `prisma.camera.findFirst()` invocation in\n/work/main/modules/ingest/infra/camera.repository.ts:42:7\n\ninvalid input syntax for type uuid: "nope"',
  );
  error.name = 'PrismaClientKnownRequestError';
  return error;
}

function format(error: unknown, exposeDetails: boolean): Record<string, unknown> {
  const formatter = createErrorFormatter(createLogger('silent'), exposeDetails, () => undefined);
  const wrapped = new GraphQLError('boom', { originalError: error instanceof Error ? error : undefined, path: ['camera'] });
  return formatter({ ...wrapped.toJSON(), extensions: { stacktrace: ['at /work/main/x.ts:1:1'] } }, wrapped) as unknown as Record<string, unknown>;
}

describe('createErrorFormatter', () => {
  it('hides an internal error behind INTERNAL, with no stack trace, path or Prisma message, by default', () => {
    const out = format(prismaLikeError(), false);
    expect(out).toEqual({ message: 'internal error', path: ['camera'], extensions: { code: 'INTERNAL' } });
  });

  it('shows the detail and the stack only when EXPOSE_ERROR_DETAILS is on', () => {
    const out = format(prismaLikeError(), true) as { extensions: Record<string, unknown> };
    expect(out.extensions['code']).toBe('INTERNAL');
    expect(String(out.extensions['detail'])).toContain('invalid input syntax');
    expect(out.extensions['stacktrace']).toEqual(expect.any(Array));
  });

  it('keeps a module error as it is, without a stack trace', () => {
    const out = format(new InvalidInputError('name: too long', { field: 'name' }), false);
    expect(out).toEqual({ message: 'name: too long', path: ['camera'], extensions: { field: 'name', code: 'BAD_USER_INPUT' } });
  });

  it('drops `http` and the stack trace from client faults and clips a huge message', () => {
    const formatter = createErrorFormatter(createLogger('silent'), false, () => undefined);
    const error = new GraphQLError(`Variable "$id" got invalid value "${'x'.repeat(10_000)}"`, {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
    const out = formatter({ ...error.toJSON(), extensions: { ...error.extensions, stacktrace: ['at /work/main/x.ts:1:1'] } }, error);
    expect(out.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(out.message.length).toBeLessThan(400);
  });
});
