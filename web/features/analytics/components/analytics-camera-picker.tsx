'use client';

import Link from 'next/link';
import { useQuery } from 'urql';
import { CAMERAS_QUERY, type CamerasResult } from '@/features/cameras/graphql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { AnalyticsSettingsForm } from './analytics-settings-form';

/** Which camera's analytics to open, and the tenant's analytics settings. */
export function AnalyticsCameraPicker() {
  const [{ data, fetching, error }] = useQuery<CamerasResult>({ query: CAMERAS_QUERY, variables: { first: 100 } });
  if (error) return <FormError message={formErrorsFrom(error).form} />;
  if (fetching && !data)
    return (
      <p className="loading" aria-busy="true">
        Loading cameras…
      </p>
    );
  const cameras = data?.cameras.edges.map((e) => e.node) ?? [];
  return (
    <section aria-labelledby="analytics-title">
      <div className="page-header">
        <h1 id="analytics-title">Analytics</h1>
      </div>
      {cameras.length === 0 ? (
        <p className="empty">
          No cameras yet. <Link href="/cameras/new">Add a camera</Link> first.
        </p>
      ) : (
        <ul className="link-list" data-testid="analytics-cameras">
          {cameras.map((c) => (
            <li key={c.id}>
              <Link href={`/analytics/${c.id}`}>{c.name}</Link> <span className="muted small">{c.sourceKind.toLowerCase()}</span>
            </li>
          ))}
        </ul>
      )}
      <AnalyticsSettingsForm />
    </section>
  );
}
