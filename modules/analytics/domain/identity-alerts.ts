import type { AlertRuleSpec, RaisedAlert } from './alert-rules';

/** A person the identity module named on a camera (the domain's view of application/identity-events.ts). */
export interface RecognizedPerson {
  trackId: number;
  personKey: string;
  vip: boolean;
  visitNumber: number;
  /** Capture time, epoch ms. */
  at: number;
}

/** How many (rule, person) pairs are remembered; the oldest go first (bounded memory per camera). */
const MAX_REMEMBERED = 10_000;

/**
 * VIP_ARRIVAL and REPEAT_VISITOR rules of one camera. Identity names a track on many frames; a
 * rule fires once: VIP_ARRIVAL once per person until `threshold` minutes passed since it fired
 * (a VIP who leaves and comes back later is announced again), REPEAT_VISITOR once per person and
 * visit number when that number is at least `threshold`.
 */
export class IdentityAlertEvaluator {
  private readonly lastFired = new Map<string, number>();

  constructor(readonly rules: readonly AlertRuleSpec[]) {}

  evaluate(person: RecognizedPerson): RaisedAlert[] {
    const raised: RaisedAlert[] = [];
    for (const rule of this.rules) {
      if (rule.kind === 'VIP_ARRIVAL') {
        if (!person.vip) continue;
        const key = `${rule.id}|${person.personKey}`;
        const last = this.lastFired.get(key);
        if (last !== undefined && person.at < last + rule.threshold * 60_000) continue;
        this.remember(key, person.at);
        raised.push({ ruleId: rule.id, zoneId: rule.zoneId, kind: rule.kind, trackId: person.trackId, value: person.visitNumber, threshold: rule.threshold, at: person.at });
      } else if (rule.kind === 'REPEAT_VISITOR') {
        if (person.visitNumber < rule.threshold) continue;
        const key = `${rule.id}|${person.personKey}|${person.visitNumber}`;
        if (this.lastFired.has(key)) continue;
        this.remember(key, person.at);
        raised.push({ ruleId: rule.id, zoneId: rule.zoneId, kind: rule.kind, trackId: person.trackId, value: person.visitNumber, threshold: rule.threshold, at: person.at });
      }
    }
    return raised;
  }

  private remember(key: string, at: number): void {
    this.lastFired.delete(key);
    this.lastFired.set(key, at);
    if (this.lastFired.size > MAX_REMEMBERED) this.lastFired.delete(this.lastFired.keys().next().value!);
  }
}
