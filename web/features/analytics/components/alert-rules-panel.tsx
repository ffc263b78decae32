'use client';

import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { ALERT_RULES_QUERY, CREATE_ALERT_RULE_MUTATION, DELETE_ALERT_RULE_MUTATION, type AlertRulesResult, type Zone } from '../graphql';

const RULES_CONTEXT = { additionalTypenames: ['AlertRule'] };

/** The alert rules of an AREA zone, and a form to add one (loitering seconds or an occupancy limit). */
export function AlertRulesPanel({ cameraId, zone }: { cameraId: string; zone: Zone }) {
  const [{ data }] = useQuery<AlertRulesResult>({ query: ALERT_RULES_QUERY, variables: { cameraId }, context: RULES_CONTEXT });
  const [createResult, create] = useMutation(CREATE_ALERT_RULE_MUTATION);
  const [, remove] = useMutation(DELETE_ALERT_RULE_MUTATION);
  const [kind, setKind] = useState<'LOITERING' | 'OCCUPANCY'>('LOITERING');
  const [threshold, setThreshold] = useState('30');
  const rules = (data?.alertRules ?? []).filter((r) => r.zoneId === zone.id);
  const errors = formErrorsFrom(createResult.error);
  return (
    <div className="card" data-testid="alert-rules">
      <h2 className="small">Alert rules of {zone.name}</h2>
      <ul>
        {rules.map((r) => (
          <li key={r.id} data-testid="alert-rule">
            {r.kind === 'LOITERING' ? `Someone inside longer than ${r.threshold} s` : `More than ${r.threshold} people inside`}{' '}
            <button type="button" className="button" onClick={() => void remove({ id: r.id }, RULES_CONTEXT)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="actions"
        onSubmit={(e) => {
          e.preventDefault();
          void create({ input: { zoneId: zone.id, name: `${kind.toLowerCase()} ${threshold}`, kind, threshold: Number(threshold) } }, RULES_CONTEXT);
        }}
      >
        <label className="small">
          Rule{' '}
          <select aria-label="Rule kind" value={kind} onChange={(e) => setKind(e.target.value as 'LOITERING' | 'OCCUPANCY')}>
            <option value="LOITERING">Loitering (seconds)</option>
            <option value="OCCUPANCY">Occupancy (people)</option>
          </select>
        </label>
        <label className="small">
          Limit <input aria-label="Rule limit" type="number" min="0" step="any" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={createResult.fetching}>
          Add rule
        </button>
      </form>
      <FormError message={errors.fields['threshold'] ?? errors.fields['zoneId'] ?? errors.form} />
    </div>
  );
}
