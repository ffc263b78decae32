'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  API_KEYS_QUERY, CREATE_API_KEY_MUTATION, REVOKE_API_KEY_MUTATION,
  type ApiKey, type ApiKeysResult, type CreateApiKeyResult,
} from '../graphql';
import { DEFAULT_SCOPES, SCOPE_DESCRIPTIONS } from '../scopes';

const API_KEY_CONTEXT = { additionalTypenames: ['ApiKey'] };

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : 'never';
}

/** The full key of a just-created API key: shown once (only its hash is stored), with a copy button. */
function SecretOnce({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard?.writeText(secret);
    setCopied(true);
  }
  return (
    <div className="card secret-once" role="status" data-testid="api-key-secret">
      <p><strong>Key “{name}” created.</strong> Copy it now: it is shown only this once. Send it as <code>Authorization: Bearer &lt;key&gt;</code>.</p>
      <p><code className="secret-once__value" data-testid="api-key-secret-value">{secret}</code></p>
      <div className="actions">
        <button type="button" className="button" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy'}</button>
        <button type="button" className="button" onClick={onDone}>I stored it</button>
      </div>
    </div>
  );
}

function CreateApiKeyForm({ onCreated }: { onCreated: (created: { name: string; secret: string }) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...DEFAULT_SCOPES]);
  const [result, create] = useMutation<CreateApiKeyResult>(CREATE_API_KEY_MUTATION);
  const errors = formErrorsFrom(result.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await create({ input: { name: name.trim(), scopes } }, API_KEY_CONTEXT);
    if (res.data) {
      setName('');
      setScopes([...DEFAULT_SCOPES]);
      onCreated({ name: res.data.createApiKey.apiKey.name, secret: res.data.createApiKey.secret });
    }
  }

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} aria-label="New API key">
      <h2>New API key</h2>
      <FormField label="Key name" error={errors.fields.name} hint="What uses it, for example “CLI on my laptop” or “store 12 integration”.">
        {(control) => <input {...control} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
      </FormField>
      <fieldset className="field scope-picker">
        <legend>Scopes</legend>
        {SCOPE_DESCRIPTIONS.map(({ scope, description }) => (
          <label key={scope} className="checkbox scope-picker__option">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => setScopes(e.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))} />
            <code>{scope}</code><span className="muted small">{description}</span>
          </label>
        ))}
        {errors.fields.scopes ? <p className="field__error" role="alert">{errors.fields.scopes}</p> : null}
      </fieldset>
      <FormError message={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={result.fetching || scopes.length === 0}>Create key</button>
      </div>
    </form>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: ApiKey }) {
  const [result, revoke] = useMutation(REVOKE_API_KEY_MUTATION);
  const revoked = apiKey.revokedAt !== null;
  function onRevoke() {
    if (!window.confirm(`Revoke the key “${apiKey.name}”? Programs using it are refused from now on; this cannot be undone.`)) return;
    void revoke({ id: apiKey.id }, API_KEY_CONTEXT);
  }
  return (
    <tr data-testid="api-key" data-api-key-id={apiKey.id} data-revoked={revoked}>
      <td data-label="Name">{apiKey.name}<div className="muted small"><code>{apiKey.prefix}_…</code></div></td>
      <td data-label="Scopes">{apiKey.scopes.map((s) => <code key={s} className="scope">{s}</code>)}</td>
      <td data-label="Created"><time dateTime={apiKey.createdAt}>{formatTime(apiKey.createdAt)}</time></td>
      <td data-label="Last used" data-testid="api-key-last-used" data-last-used={apiKey.lastUsedAt ?? ''}>
        {apiKey.lastUsedAt ? <time dateTime={apiKey.lastUsedAt}>{formatTime(apiKey.lastUsedAt)}</time> : <span className="muted">never</span>}
      </td>
      <td className="cell-actions">
        {revoked
          ? <span className="muted small" data-testid="api-key-revoked">Revoked {formatTime(apiKey.revokedAt)}</span>
          : <div className="actions row-actions"><button type="button" className="button button--danger" disabled={result.fetching} onClick={onRevoke}>Revoke</button></div>}
        <FormError message={formErrorsFrom(result.error).form} />
      </td>
    </tr>
  );
}

/** The tenant's API keys: create one (its secret shown once), see when each was last used, revoke. */
export function ApiKeysView() {
  const [{ data, error, fetching }] = useQuery<ApiKeysResult>({ query: API_KEYS_QUERY, context: API_KEY_CONTEXT, requestPolicy: 'cache-and-network' });
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  return (
    <section aria-labelledby="api-keys-title">
      <div className="page-header">
        <div>
          <h1 id="api-keys-title">API keys</h1>
          <p className="muted">For programs: the CLI, integrations, GraphQL clients. A key holds only the scopes you give it; “last used” updates at most once a minute.</p>
        </div>
      </div>
      {created ? <SecretOnce name={created.name} secret={created.secret} onDone={() => setCreated(null)} /> : null}
      <CreateApiKeyForm onCreated={setCreated} />
      <h2>Keys</h2>
      {error ? <FormError message={formErrorsFrom(error).form} /> : null}
      {fetching && !data ? <p className="loading" aria-busy="true">Loading…</p> : null}
      {data && data.apiKeys.length === 0 ? <p className="empty" data-testid="api-keys-empty">No API keys yet.</p> : null}
      {data && data.apiKeys.length > 0 ? (
        <div className="table-scroll">
          <table className="table table--cards" data-testid="api-key-table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr>
            </thead>
            <tbody>
              {data.apiKeys.map((k) => <ApiKeyRow key={k.id} apiKey={k} />)}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
