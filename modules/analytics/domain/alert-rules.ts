import type { OpenVisit } from './zone-presence';

export const ALERT_RULE_KINDS = ['LOITERING', 'OCCUPANCY'] as const;
/** `LOITERING`: one person in the zone longer than `threshold` seconds. `OCCUPANCY`: more than `threshold` people in it. */
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

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
  /** The loitering track; null for occupancy. */
  trackId: number | null;
  /** Seconds in the zone (LOITERING) or people in it (OCCUPANCY) when the rule fired. */
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
