import type { z } from 'zod';
import { InvalidInputError } from '../domain/app-error';

/**
 * Validates GraphQL input at the edge. The first problem becomes the message; every problem
 * is listed in `details.issues` with its field path so forms can show errors next to fields.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  const first = issues[0] ?? { field: '', message: 'invalid input' };
  throw new InvalidInputError(first.field ? `${first.field}: ${first.message}` : first.message, { field: first.field, issues });
}
