'use client';

import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormError } from '@/features/forms/components/form-field';
import { formErrorsFrom } from '@/lib/graphql-errors';
import { ALERT_RULES_QUERY, CREATE_ALERT_RULE_MUTATION, DELETE_ALERT_RULE_MUTATION, type AlertRuleKind, type AlertRulesResult, type Zone } from '../graphql';

const RULES_CONTEXT = { additionalTypenames: ['AlertRule'] };

/** Each kind's form label, what its number means, a sensible starting value, and how a rule reads. */
const KINDS: Record<AlertRuleKind, { label: string; limit: string; initial: string; describe: (threshold: number) => string }> = {
  LOITERING: { label: 'Loitering (seconds)', limit: 'Seconds', initial: '30', describe: (t) => `Someone inside longer than ${t} s` },
  OCCUPANCY: { label: 'Occupancy (people)', limit: 'People', initial: '5', describe: (t) => `More than ${t} people inside` },
  VIP_ARRIVAL: { label: 'VIP arrival (identity)', limit: 'Re-alert after (minutes)', initial: '60', describe: (t) => `A VIP is recognised on this camera (again after ${t} min)` },
  REPEAT_VISITOR: { label: 'Repeat visitor (identity)', limit: 'From visit number', initial: '3', describe: (t) => `Someone is recognised on their visit ${t} or later` },
};

/** The alert rules of an AREA zone, and a form to add one (loitering, occupancy, VIP arrival, repeat visitor). */
export function AlertRulesPanel({ cameraId, zone }: { cameraId: string; zone: Zone }) {
  const [{ data }] = useQuery<AlertRulesResult>({ query: ALERT_RULES_QUERY, variables: { cameraId }, context: RULES_CONTEXT });
  const [createResult, create] = useMutation(CREATE_ALERT_RULE_MUTATION);
  const [, remove] = useMutation(DELETE_ALERT_RULE_MUTATION);
  const [kind, setKind] = useState<AlertRuleKind>('LOITERING');
  const [threshold, setThreshold] = useState(KINDS.LOITERING.initial);
  const rules = (data?.alertRules ?? []).filter((r) => r.zoneId === zone.id);
  const errors = formErrorsFrom(createResult.error);
  return (
    <div className="card" data-testid="alert-rules">
      <h2 className="small">Alert rules of {zone.name}</h2>
      <ul>
        {rules.map((r) => (
          <li key={r.id} data-testid="alert-rule">
            {KINDS[r.kind].describe(r.threshold)}{' '}
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
          <select
            aria-label="Rule kind"
            value={kind}
            onChange={(e) => {
              const next = e.target.value as AlertRuleKind;
              setKind(next);
              setThreshold(KINDS[next].initial);
            }}
          >
            {(Object.keys(KINDS) as AlertRuleKind[]).map((k) => (
              <option key={k} value={k}>
                {KINDS[k].label}
              </option>
            ))}
          </select>
        </label>
        <label className="small">
          {KINDS[kind].limit} <input aria-label="Rule limit" type="number" min="0" step="any" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={createResult.fetching}>
          Add rule
        </button>
      </form>
      <FormError message={errors.fields['threshold'] ?? errors.fields['zoneId'] ?? errors.form} />
    </div>
  );
}
