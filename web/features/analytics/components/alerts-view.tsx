'use client';

import { useEffect, useState } from 'react';
import { useClient, useMutation, useQuery } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { ACKNOWLEDGE_ALERT_MUTATION, ALERT_RAISED_SUBSCRIPTION, ALERTS_QUERY, type AlertsResult } from '../graphql';

const ALERTS_CONTEXT = { additionalTypenames: ['Alert'] };

/** Raised alerts, newest first, with acknowledge; new alerts appear as they are raised. */
export function AlertsView() {
  const [onlyOpen, setOnlyOpen] = useState(true);
  const [{ data, error }, refetch] = useQuery<AlertsResult>({
    query: ALERTS_QUERY,
    variables: onlyOpen ? { acknowledged: false } : {},
    context: ALERTS_CONTEXT,
  });
  const [ackResult, acknowledge] = useMutation(ACKNOWLEDGE_ALERT_MUTATION);
  const client = useClient();
  useEffect(() => {
    const subscription = client.subscription(ALERT_RAISED_SUBSCRIPTION, {}).subscribe((r) => {
      if (r.data) refetch({ requestPolicy: 'network-only' });
    });
    return () => subscription.unsubscribe();
  }, [client, refetch]);
  const alerts = data?.alerts.edges.map((e) => e.node) ?? [];
  return (
    <section aria-labelledby="alerts-title">
      <div className="page-header">
        <h1 id="alerts-title">Alerts</h1>
        <label className="small">
          <input type="checkbox" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.target.checked)} /> Only unacknowledged
        </label>
      </div>
      <FormError message={formErrorsFrom(error ?? ackResult.error).form} />
      {alerts.length === 0 ? (
        <p className="empty" data-testid="alerts-empty">
          No alerts. Add a loitering or occupancy rule on a zone to get some.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="alerts-table">
            <thead>
              <tr>
                <th>Raised</th>
                <th>Kind</th>
                <th>What</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id} data-testid="alert-row">
                  <td>{new Date(a.raisedAt).toLocaleString()}</td>
                  <td>{a.kind.toLowerCase()}</td>
                  <td>{a.message}</td>
                  <td>{a.acknowledgedAt ? `acknowledged ${new Date(a.acknowledgedAt).toLocaleTimeString()}` : 'open'}</td>
                  <td className="actions">
                    {a.acknowledgedAt ? null : (
                      <button
                        type="button"
                        className="button"
                        disabled={ackResult.fetching}
                        onClick={() => void acknowledge({ id: a.id }, ALERTS_CONTEXT).then(() => refetch({ requestPolicy: 'network-only' }))}
                      >
                        Acknowledge
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
