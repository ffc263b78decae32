'use client';

import { useMemo } from 'react';
import { useQuery } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { PLAN_AND_USAGE_QUERY, type PlanAndUsageResult } from '../graphql';

const QUOTA_LABELS: Record<string, string> = {
  cameras: 'Cameras',
  concurrent_streams: 'Cameras streaming at once',
  webhook_endpoints: 'Webhook endpoints',
  frames_per_month: 'Frames this month',
  analyses_per_month: 'Analyses this month',
};

/** The plan, its quotas with what is used, and the last 30 days of metered usage. */
export function UsagePlanView() {
  const variables = useMemo(() => ({ from: new Date(Date.now() - 30 * 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() }), []);
  const [{ data, error, fetching }] = useQuery<PlanAndUsageResult>({ query: PLAN_AND_USAGE_QUERY, variables, requestPolicy: 'network-only' });
  if (error) return <FormError message={formErrorsFrom(error).form} />;
  if (fetching || !data) return <p className="loading" aria-busy="true">Loading…</p>;
  return (
    <section className="page">
      <h1>Usage &amp; plan</h1>
      <article className="card" data-testid="plan">
        <h2>{data.plan.name} plan</h2>
        <p className="muted small" data-testid="plan-rate">{data.plan.requestsPerMinute.toLocaleString()} API requests per minute (HTTP and WebSocket). Over a limit, the API answers QUOTA_EXCEEDED with the limit and when it resets.</p>
      </article>
      <article className="card">
        <h2>Quotas</h2>
        {data.quotas.map((q) => (
          <label key={q.name} className="meter" data-testid="quota" data-quota={q.name} data-used={q.used} data-limit={q.limit}>
            <span>{QUOTA_LABELS[q.name] ?? q.name}: {q.used.toLocaleString()} of {q.limit.toLocaleString()}{q.resetsAt ? ` (resets ${new Date(q.resetsAt).toLocaleDateString()})` : ''}</span>
            <progress max={q.limit} value={Math.min(q.used, q.limit)} />
          </label>
        ))}
      </article>
      <article className="card">
        <h2>Usage, last 30 days</h2>
        {data.usage.length === 0 ? <p className="empty" data-testid="usage-empty">Nothing metered yet.</p> : (
          <table className="table table--compact" data-testid="usage">
            <thead><tr><th scope="col">Day (UTC)</th><th scope="col">Meter</th><th scope="col">Quantity</th></tr></thead>
            <tbody>{data.usage.map((u) => <tr key={`${u.day}-${u.meter}`}><td>{u.day}</td><td>{u.meter.replace(/_/g, ' ')}</td><td>{u.quantity.toLocaleString()}</td></tr>)}</tbody>
          </table>
        )}
      </article>
    </section>
  );
}
