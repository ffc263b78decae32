'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError, FormField } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { ANALYTICS_SETTINGS_QUERY, UPDATE_ANALYTICS_SETTINGS_MUTATION, type AnalyticsSettings, type AnalyticsSettingsResult } from '../graphql';

/** True when the server refused for lack of scope (the mutation needs `admin`). */
function forbidden(error: { graphQLErrors: readonly { extensions: Record<string, unknown> }[] } | undefined): boolean {
  return Boolean(error?.graphQLErrors.some((e) => e.extensions['code'] === 'FORBIDDEN'));
}

/**
 * The tenant's analytics retention and journey clock-skew tolerance. Anyone with analytics:read
 * sees them; saving needs admin, which only the server decides, so a refusal is shown as such.
 * Ranges are checked by the server and its BAD_USER_INPUT errors are shown under their field.
 */
export function AnalyticsSettingsForm() {
  const [{ data, error: loadError }] = useQuery<AnalyticsSettingsResult>({ query: ANALYTICS_SETTINGS_QUERY });
  const [result, update] = useMutation<{ updateAnalyticsSettings: AnalyticsSettings }>(UPDATE_ANALYTICS_SETTINGS_MUTATION);
  const [retention, setRetention] = useState('');
  const [skew, setSkew] = useState('');
  const [saved, setSaved] = useState(false);
  // The server's values fill the form when they arrive, but never over what the user is typing:
  // urql answers the query again whenever a mutation elsewhere on the page touches a type it
  // holds, and that answer must not put the old values back into an edited form.
  const edited = useRef(false);
  useEffect(() => {
    if (!data || edited.current) return;
    setRetention(String(data.analyticsSettings.retentionDays));
    setSkew(String(data.analyticsSettings.journeySkewSeconds));
  }, [data]);
  const edit = (set: (value: string) => void) => (value: string) => {
    edited.current = true;
    setSaved(false);
    set(value);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    // Number('') is 0 and Number('x') NaN: both go to the server, which names the field.
    const outcome = await update({ retentionDays: Math.trunc(Number(retention)), journeySkewSeconds: Number(skew) });
    const stored = outcome.data?.updateAnalyticsSettings;
    if (outcome.error || !stored) return;
    // What the server stored is what the form shows; later answers may fill it again.
    setRetention(String(stored.retentionDays));
    setSkew(String(stored.journeySkewSeconds));
    edited.current = false;
    setSaved(true);
  };

  const errors = formErrorsFrom(result.error);
  return (
    <form className="card form" aria-labelledby="analytics-settings-title" onSubmit={(e) => void submit(e)} data-testid="analytics-settings" noValidate>
      <h2 id="analytics-settings-title">Analytics settings</h2>
      <FormError message={formErrorsFrom(loadError).form} />
      <FormField label="Retention (days)" hint="Counts, heatmaps, journeys and alerts older than this are deleted (1-3650)." error={errors.fields['retentionDays']}>
        {(control) => <input {...control} type="number" inputMode="numeric" value={retention} onChange={(e) => edit(setRetention)(e.target.value)} />}
      </FormField>
      <FormField
        label="Clock-skew tolerance (seconds)"
        hint="How far apart two cameras' clocks may be when ordering a person's visits across cameras (0-60)."
        error={errors.fields['journeySkewSeconds']}
      >
        {(control) => <input {...control} type="number" step="0.1" value={skew} onChange={(e) => edit(setSkew)(e.target.value)} />}
      </FormField>
      {forbidden(result.error) ? (
        <p className="form__error" role="alert" data-testid="analytics-settings-forbidden">
          Only an organisation admin can change analytics settings. Ask an admin to change them.
        </p>
      ) : (
        <FormError message={errors.form} />
      )}
      <div className="actions">
        <button type="submit" className="button button--primary" disabled={!data || result.fetching}>
          Save settings
        </button>
        {saved ? (
          <span className="muted small" role="status">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
