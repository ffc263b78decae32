import { ManualClock } from '@trinetra/shared';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker';

type Step = 'fail' | 'miss' | 'ok' | `wait:${number}`;

const run = (steps: Step[]) => {
  const clock = new ManualClock(0);
  const transitions: BreakerTransition[] = [];
  const breaker = new CircuitBreaker(clock, { failureThreshold: 3, deadlineMissThreshold: 4, cooldownMs: 100, probeFrames: 2, probeSuccesses: 2 }, (t) =>
    transitions.push(t),
  );
  for (const step of steps) {
    if (step === 'fail') breaker.recordFailure();
    else if (step === 'miss') breaker.recordDeadlineMiss();
    else if (step === 'ok') breaker.recordSuccess();
    else clock.advance(Number(step.slice(5)));
  }
  return { state: breaker.state, path: transitions.map((t) => t.to) };
};

describe('CircuitBreaker', () => {
  it.each<{ name: string; steps: Step[]; state: string; path: string[] }>([
    { name: 'stays healthy below the failure threshold', steps: ['fail', 'fail', 'ok', 'fail', 'fail'], state: 'healthy', path: [] },
    { name: 'trips on consecutive failures', steps: ['fail', 'fail', 'fail'], state: 'tripped', path: ['tripped'] },
    { name: 'trips on consecutive deadline misses', steps: ['miss', 'miss', 'miss', 'miss'], state: 'tripped', path: ['tripped'] },
    { name: 'a success resets the miss count', steps: ['miss', 'miss', 'miss', 'ok', 'miss'], state: 'healthy', path: [] },
    { name: 'refuses until the cooldown, then recovers on probes', steps: ['fail', 'fail', 'fail', 'wait:99'], state: 'tripped', path: ['tripped'] },
    { name: 'moves to recovering after the cooldown', steps: ['fail', 'fail', 'fail', 'wait:100'], state: 'recovering', path: ['tripped', 'recovering'] },
    {
      name: 'closes after enough probe successes',
      steps: ['fail', 'fail', 'fail', 'wait:100', 'ok', 'ok'],
      state: 'healthy',
      path: ['tripped', 'recovering', 'healthy'],
    },
    {
      name: 'a failed probe trips again',
      steps: ['fail', 'fail', 'fail', 'wait:100', 'ok', 'fail'],
      state: 'tripped',
      path: ['tripped', 'recovering', 'tripped'],
    },
    { name: 'a missed probe trips again', steps: ['fail', 'fail', 'fail', 'wait:100', 'miss'], state: 'tripped', path: ['tripped', 'recovering', 'tripped'] },
  ])('$name', ({ steps, state, path }) => {
    expect(run(steps)).toEqual({ state, path });
  });

  it.each([{ failureThreshold: 0 }, { cooldownMs: -1 }, { probeFrames: Number.NaN }])('rejects options %p', (options) => {
    expect(() => new CircuitBreaker(new ManualClock(), options)).toThrow(/out of range/);
  });
});
