import type { AlertRuleSpec } from './alert-rules';
import { IdentityAlertEvaluator, type RecognizedPerson } from './identity-alerts';

const VIP: AlertRuleSpec = { id: 'vip', zoneId: 'entrance', kind: 'VIP_ARRIVAL', threshold: 30 };
const REPEAT: AlertRuleSpec = { id: 'rep', zoneId: 'entrance', kind: 'REPEAT_VISITOR', threshold: 3 };
const MIN = 60_000;

function seen(over: Partial<RecognizedPerson> = {}): RecognizedPerson {
  return { trackId: 7, personKey: 'person:ana', vip: true, visitNumber: 1, at: 1_000_000, ...over };
}

describe('IdentityAlertEvaluator', () => {
  it('announces a VIP once however many frames name them, and again after the cooldown', () => {
    const rules = new IdentityAlertEvaluator([VIP]);
    const first = rules.evaluate(seen());
    expect(first).toEqual([{ ruleId: 'vip', zoneId: 'entrance', kind: 'VIP_ARRIVAL', trackId: 7, value: 1, threshold: 30, at: 1_000_000 }]);
    for (let f = 1; f < 50; f += 1) expect(rules.evaluate(seen({ at: 1_000_000 + f * 100 }))).toEqual([]);
    expect(rules.evaluate(seen({ at: 1_000_000 + 29 * MIN }))).toEqual([]);
    expect(rules.evaluate(seen({ at: 1_000_000 + 31 * MIN, trackId: 9, visitNumber: 2 }))).toHaveLength(1);
  });

  it('ignores people who are not VIPs, and keeps persons apart', () => {
    const rules = new IdentityAlertEvaluator([VIP]);
    expect(rules.evaluate(seen({ vip: false }))).toEqual([]);
    expect(rules.evaluate(seen({ personKey: 'person:ben' }))).toHaveLength(1);
    expect(rules.evaluate(seen({ personKey: 'person:ana' }))).toHaveLength(1);
  });

  it('tells a repeat visitor from their threshold-th visit on, once per visit', () => {
    const rules = new IdentityAlertEvaluator([REPEAT]);
    expect(rules.evaluate(seen({ vip: false, visitNumber: 2 }))).toEqual([]);
    const third = rules.evaluate(seen({ vip: false, visitNumber: 3 }));
    expect(third).toEqual([{ ruleId: 'rep', zoneId: 'entrance', kind: 'REPEAT_VISITOR', trackId: 7, value: 3, threshold: 3, at: 1_000_000 }]);
    expect(rules.evaluate(seen({ vip: false, visitNumber: 3, at: 2_000_000 }))).toEqual([]);
    expect(rules.evaluate(seen({ vip: false, visitNumber: 4, at: 3_000_000 }))).toHaveLength(1);
  });

  it('evaluates both kinds side by side and ignores frame rules', () => {
    const rules = new IdentityAlertEvaluator([VIP, REPEAT, { id: 'loi', zoneId: 'entrance', kind: 'LOITERING', threshold: 5 }]);
    expect(rules.evaluate(seen({ visitNumber: 5 })).map((a) => a.kind)).toEqual(['VIP_ARRIVAL', 'REPEAT_VISITOR']);
  });

  it('does not re-announce when events arrive out of order (an older frame after a newer one)', () => {
    const rules = new IdentityAlertEvaluator([VIP]);
    expect(rules.evaluate(seen({ at: 5 * MIN }))).toHaveLength(1);
    expect(rules.evaluate(seen({ at: 4 * MIN }))).toEqual([]);
  });
});
