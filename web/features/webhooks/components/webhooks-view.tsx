'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import {
  CREATE_WEBHOOK_ENDPOINT_MUTATION, DELETE_WEBHOOK_ENDPOINT_MUTATION, REPLAY_WEBHOOK_DELIVERY_MUTATION, ROTATE_WEBHOOK_SECRET_MUTATION,
  SEND_TEST_WEBHOOK_MUTATION, UPDATE_WEBHOOK_ENDPOINT_MUTATION, WEBHOOK_DELIVERIES_QUERY, WEBHOOK_ENDPOINTS_QUERY, WEBHOOK_EVENT_TYPES,
  type CreateWebhookEndpointResult, type RotateWebhookSecretResult, type WebhookDeliveriesResult, type WebhookEndpoint, type WebhookEndpointsResult,
} from '../graphql';

const ENDPOINT_CONTEXT = { additionalTypenames: ['WebhookEndpoint', 'WebhookDelivery'] };

/** The secret of a just-created or rotated endpoint: shown once, with a copy button. */
function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div className="card" role="status" data-testid="webhook-secret">
      <p><strong>Signing secret</strong> — shown only now. Store it where your receiver verifies signatures.</p>
      <p><code data-testid="webhook-secret-value">{secret}</code></p>
      <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(secret)}>Copy</button>{' '}
      <button type="button" className="button" onClick={onDone}>I stored it</button>
    </div>
  );
}

function CreateEndpointForm({ onCreated }: { onCreated: (secret: string) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['camera.status_changed']);
  const [result, create] = useMutation<CreateWebhookEndpointResult>(CREATE_WEBHOOK_ENDPOINT_MUTATION);
  const errors = formErrorsFrom(result.error);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const res = await create({ input: { url: url.trim(), eventTypes: events, description } }, ENDPOINT_CONTEXT);
    if (res.data) {
      setUrl('');
      setDescription('');
      onCreated(res.data.createWebhookEndpoint.secret);
    }
  }

  return (
    <form className="form card" onSubmit={(e) => void submit(e)} aria-label="New webhook endpoint">
      <h2>New endpoint</h2>
      <FormField label="URL" error={errors.fields.url} hint="https:// address of your receiver; internal addresses are refused unless your network allowlist names them.">
        {(control) => <input {...control} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/webhooks" />}
      </FormField>
      <FormField label="Description" error={errors.fields.description}>
        {(control) => <input {...control} value={description} onChange={(e) => setDescription(e.target.value)} />}
      </FormField>
      <fieldset className="field">
        <legend>Events</legend>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label key={type} className="checkbox">
            <input type="checkbox" checked={events.includes(type)} onChange={(e) => setEvents(e.target.checked ? [...events, type] : events.filter((t) => t !== type))} />
            <code>{type}</code>
          </label>
        ))}
        {errors.fields.eventTypes ? <p className="field__error" role="alert">{errors.fields.eventTypes}</p> : null}
      </fieldset>
      <FormError message={errors.form} />
      <button type="submit" className="button button--primary" disabled={result.fetching}>Create endpoint</button>
    </form>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const [{ data, error }, refresh] = useQuery<WebhookDeliveriesResult>({ query: WEBHOOK_DELIVERIES_QUERY, variables: { endpointId }, requestPolicy: 'network-only' });
  const [, replay] = useMutation(REPLAY_WEBHOOK_DELIVERY_MUTATION);
  useEffect(() => {
    const timer = setInterval(() => refresh({ requestPolicy: 'network-only' }), 2000);
    return () => clearInterval(timer);
  }, [refresh]);
  const rows = data?.webhookDeliveries.edges.map((e) => e.node) ?? [];
  if (error) return <FormError message={formErrorsFrom(error).form} />;
  if (rows.length === 0) return <p className="muted small" data-testid="deliveries-empty">No deliveries yet.</p>;
  return (
    <table className="table table--compact" data-testid="webhook-deliveries">
      <thead><tr><th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Response</th><th scope="col">Time</th><th scope="col" /></tr></thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} data-testid="webhook-delivery" data-status={d.status}>
            <td><code>{d.eventType}</code>{d.replayOfId ? <span className="muted small"> (replay)</span> : null}</td>
            <td>{d.status.toLowerCase()}{d.nextAttemptAt && d.status === 'PENDING' ? <span className="muted small"> next {new Date(d.nextAttemptAt).toLocaleTimeString()}</span> : null}</td>
            <td>{d.attempts}</td>
            <td>{d.lastResponseCode ?? (d.lastError ? <span title={d.lastError}>error</span> : '—')}</td>
            <td>{d.lastDurationMs !== null ? `${d.lastDurationMs} ms` : '—'}</td>
            <td><button type="button" className="button" onClick={() => void replay({ id: d.id }, ENDPOINT_CONTEXT).then(() => refresh({ requestPolicy: 'network-only' }))}>Replay</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function EndpointCard({ endpoint, onSecret }: { endpoint: WebhookEndpoint; onSecret: (secret: string) => void }) {
  const [test, sendTest] = useMutation(SEND_TEST_WEBHOOK_MUTATION);
  const [, rotate] = useMutation<RotateWebhookSecretResult>(ROTATE_WEBHOOK_SECRET_MUTATION);
  const [, update] = useMutation(UPDATE_WEBHOOK_ENDPOINT_MUTATION);
  const [, remove] = useMutation(DELETE_WEBHOOK_ENDPOINT_MUTATION);
  return (
    <article className="card" data-testid="webhook-endpoint" data-endpoint-id={endpoint.id} data-enabled={endpoint.enabled}>
      <h2><code>{endpoint.url}</code></h2>
      {endpoint.description ? <p>{endpoint.description}</p> : null}
      <p className="small">Events: {endpoint.eventTypes.map((t) => <code key={t}>{t} </code>)}</p>
      {endpoint.enabled ? null : <p className="form__error">Disabled: {endpoint.disabledReason}</p>}
      {endpoint.previousSecretExpiresAt ? <p className="muted small">The previous secret also signs until {new Date(endpoint.previousSecretExpiresAt).toLocaleString()}.</p> : null}
      <div className="actions">
        <button type="button" className="button" disabled={test.fetching} onClick={() => void sendTest({ endpointId: endpoint.id }, ENDPOINT_CONTEXT)}>Send test</button>{' '}
        <button type="button" className="button" onClick={() => void rotate({ id: endpoint.id }, ENDPOINT_CONTEXT).then((r) => r.data && onSecret(r.data.rotateWebhookSecret.secret))}>Rotate secret</button>{' '}
        <button type="button" className="button" onClick={() => void update({ id: endpoint.id, input: { enabled: !endpoint.enabled } }, ENDPOINT_CONTEXT)}>{endpoint.enabled ? 'Disable' : 'Enable'}</button>{' '}
        <button type="button" className="button" onClick={() => { if (window.confirm('Delete this endpoint and its deliveries?')) void remove({ id: endpoint.id }, ENDPOINT_CONTEXT); }}>Delete</button>
      </div>
      <FormError message={formErrorsFrom(test.error).form} />
      <h3>Deliveries</h3>
      <Deliveries endpointId={endpoint.id} />
    </article>
  );
}

/** Webhook endpoints: create (secret shown once), send a test, rotate, disable, and deliveries with replay. */
export function WebhooksView() {
  const [{ data, error, fetching }] = useQuery<WebhookEndpointsResult>({ query: WEBHOOK_ENDPOINTS_QUERY, context: ENDPOINT_CONTEXT });
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <section className="page">
      <h1>Webhooks</h1>
      <p className="muted">Signed with Standard Webhooks (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>), retried for 24 hours.</p>
      {secret ? <SecretOnce secret={secret} onDone={() => setSecret(null)} /> : null}
      <CreateEndpointForm onCreated={setSecret} />
      {error ? <FormError message={formErrorsFrom(error).form} /> : null}
      {fetching && !data ? <p className="loading" aria-busy="true">Loading…</p> : null}
      {data && data.webhookEndpoints.length === 0 ? <p className="empty" data-testid="webhooks-empty">No endpoints yet.</p> : null}
      {data?.webhookEndpoints.map((e) => <EndpointCard key={e.id} endpoint={e} onSecret={setSecret} />)}
    </section>
  );
}
