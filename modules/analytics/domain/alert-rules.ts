import type { OpenVisit } from './zone-presence';

export const ALERT_RULE_KINDS = ['LOITERING', 'OCCUPANCY', 'VIP_ARRIVAL', 'REPEAT_VISITOR'] as const;
/**
 * `LOITERING`: one person in the zone longer than `threshold` seconds. `OCCUPANCY`: more than
 * `threshold` people in it. Identity kinds (identity-alerts.ts), fired when the identity module
 * names someone on the zone's camera: `VIP_ARRIVAL`, a VIP, again for the same person only
 * after `threshold` minutes; `REPEAT_VISITOR`, a person on their `threshold`-th visit or later.
 */
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** Kinds evaluated on every frame; the others are evaluated on identity events. */
export const FRAME_RULE_KINDS: readonly AlertRuleKind[] = ['LOITERING', 'OCCUPANCY'];

export interface AlertRuleSpec {
  id: string;
  zoneId: string;
  kind: AlertRuleKind;
  threshold: number;
}

export interface RaisedAlert {
  ruleId: string;
  zoneId: string;
  kind: AlertRuleKind;
  /** The loitering (or recognised) track; null for occupancy. */
  trackId: number | null;
  /** Seconds in the zone (LOITERING), people in it (OCCUPANCY), or the visit number (identity kinds) when the rule fired. */
  value: number;
  threshold: number;
  at: number;
}

/**
 * Fires each rule once per episode: a loitering alert once per visit, an occupancy alert when
 * the count goes over the limit, re-armed only once it is back at or under the limit (no alert
 * storm while a crowd stays).
 */
export class AlertRuleEvaluator {
  private readonly loiteringFired = new Set<string>();
  private readonly occupancyOver = new Set<string>();

  constructor(readonly rules: readonly AlertRuleSpec[]) {}

  evaluate(ts: number, openVisits: readonly OpenVisit[], occupancy: (zoneId: string) => number): RaisedAlert[] {
    const raised: RaisedAlert[] = [];
    const open = new Set<string>();
    for (const rule of this.rules) {
      if (rule.kind === 'OCCUPANCY') {
        const count = occupancy(rule.zoneId);
        if (count > rule.threshold && !this.occupancyOver.has(rule.id)) {
          this.occupancyOver.add(rule.id);
          raised.push({ ruleId: rule.id, zoneId: rule.zoneId, kind: rule.kind, trackId: null, value: count, threshold: rule.threshold, at: ts });
        } else if (count <= rule.threshold) {
          this.occupancyOver.delete(rule.id);
        }
        continue;
      }
      if (rule.kind !== 'LOITERING') continue;
      for (const visit of openVisits) {
        if (visit.zoneId !== rule.zoneId) continue;
        const key = `${rule.id}:${visit.trackId}:${visit.enteredAt}`;
        open.add(key);
        const seconds = (ts - visit.enteredAt) / 1000;
        if (seconds > rule.threshold && !this.loiteringFired.has(key)) {
          this.loiteringFired.add(key);
          raised.push({ ruleId: rule.id, zoneId: rule.zoneId, kind: rule.kind, trackId: visit.trackId, value: seconds, threshold: rule.threshold, at: ts });
        }
      }
    }
    // Visits that closed cannot fire again: forget them so the set stays as small as the crowd.
    for (const key of this.loiteringFired) if (!open.has(key)) this.loiteringFired.delete(key);
    return raised;
  }
}
