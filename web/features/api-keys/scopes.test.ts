import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SCOPES, SCOPE_DESCRIPTIONS } from './scopes';

/** The server's scopes, as CreateApiKeyInput.scopes describes them in the generated schema. */
function serverScopes(): string[] {
  const schema = readFileSync(path.join(__dirname, '../../lib/generated/schema.graphql'), 'utf8');
  const input = schema.slice(schema.indexOf('input CreateApiKeyInput'));
  const match = /Any of: ([^\n"]+)/.exec(input);
  if (!match?.[1]) throw new Error('CreateApiKeyInput.scopes no longer lists its scopes in its description');
  return match[1].split(',').map((s) => s.trim()).filter(Boolean);
}

describe('API key scopes on the page', () => {
  it('explains every scope the server accepts', () => {
    const explained = SCOPE_DESCRIPTIONS.map((s) => s.scope);
    expect(serverScopes().filter((s) => !explained.includes(s))).toEqual([]);
  });

  it('lists each scope once, with a description, and defaults to a known one', () => {
    const explained = SCOPE_DESCRIPTIONS.map((s) => s.scope);
    expect(new Set(explained).size).toBe(explained.length);
    for (const { description } of SCOPE_DESCRIPTIONS) expect(description.length).toBeGreaterThan(10);
    for (const scope of DEFAULT_SCOPES) expect(explained).toContain(scope);
  });
});
