import { describe, expect, it } from 'vitest';
import { FailureCounter, type FailureCounterOptions } from './failure-counter.js';

function setup(options: Omit<FailureCounterOptions, 'now'> = {}) {
  let now = 1_000_000;
  const counter = new FailureCounter({ baseDelayMs: 1000, maxDelayMs: 60_000, ...options, now: () => now });
  return { counter, advance: (ms: number) => (now += ms), now: () => now };
}

const failTimes = (counter: FailureCounter, n: number, key = 'k') => {
  for (let i = 0; i < n; i += 1) counter.fail(key);
};

describe('FailureCounter', () => {
  it('maxFailures failures are free, each further one locks with a doubling delay', () => {
    const { counter, advance } = setup({ maxFailures: 2 });
    failTimes(counter, 2);
    expect(counter.lockRemaining('k')).toBe(0);
    counter.fail('k');
    expect(counter.lockRemaining('k')).toBe(1000);
    advance(1000);
    counter.fail('k');
    expect(counter.lockRemaining('k')).toBe(2000);
  });

  it('maxFailures 0: the first failure already locks', () => {
    const { counter } = setup({ maxFailures: 0 });
    counter.fail('k');
    expect(counter.lockRemaining('k')).toBe(1000);
  });

  it('maxFailures can be changed live; it applies from the next failure, a running lock stays', () => {
    const { counter, advance } = setup({ maxFailures: 5 });
    expect(counter.maxFailures).toBe(5);
    failTimes(counter, 2);
    counter.maxFailures = 1;
    expect(counter.lockRemaining('k')).toBe(0); // nothing happens until the next failure
    counter.fail('k'); // third failure, two beyond the new limit
    expect(counter.lockRemaining('k')).toBe(2000);
    counter.maxFailures = 10;
    expect(counter.lockRemaining('k')).toBe(2000);
    advance(2000);
    counter.fail('k');
    expect(counter.lockRemaining('k')).toBe(0);
  });

  it('refuses a maxFailures that is not a whole number of 0 or more', () => {
    expect(() => new FailureCounter({ maxFailures: -1 })).toThrow(RangeError);
    const { counter } = setup();
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => (counter.maxFailures = bad)).toThrow(/whole number of 0 or more/);
    expect(counter.maxFailures).toBe(5);
  });

  it('undoFailure takes back the last failure and the lock it caused, and nothing more', () => {
    const { counter, advance } = setup({ maxFailures: 2 });
    failTimes(counter, 3);
    expect(counter.lockRemaining('k')).toBe(1000);
    advance(1000);
    counter.fail('k'); // 4th: lock of 2 s
    counter.undoFailure('k');
    expect(counter.lockRemaining('k')).toBe(0); // back to the 3rd failure's lock, which has run out
    counter.fail('k'); // the 4th again: the count was 3, not 4
    expect(counter.lockRemaining('k')).toBe(2000);
  });

  it('undoFailure of the only failure forgets the key; of an unknown key does nothing', () => {
    const { counter } = setup();
    counter.fail('k');
    counter.undoFailure('k');
    expect(counter.size).toBe(0);
    counter.undoFailure('unknown');
    expect(counter.size).toBe(0);
  });

  it('clear forgets a key and says whether it was locked', () => {
    const { counter } = setup({ maxFailures: 0 });
    counter.fail('k');
    expect(counter.clear('k')).toBe(true);
    expect(counter.clear('k')).toBe(false);
    expect(counter.lockRemaining('k')).toBe(0);
  });
});
