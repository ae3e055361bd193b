import { describe, expect, it } from 'vitest';
import { LoginLimiter, type LoginLimiterOptions } from './login-limiter.js';

function setup(options: Omit<LoginLimiterOptions, 'now'> = {}) {
  let now = 1_000_000;
  const limiter = new LoginLimiter({ ...options, now: () => now });
  return { limiter, advance: (ms: number) => (now += ms) };
}

const failTimes = (limiter: LoginLimiter, n: number, user = 'alice', address = '10.0.0.1') => {
  for (let i = 0; i < n; i += 1) limiter.fail(user, address);
};

describe('LoginLimiter', () => {
  it('lets maxFailures consecutive failures through, then locks with a doubling, capped delay', () => {
    const { limiter, advance } = setup({ maxFailures: 5, baseDelayMs: 1000, maxDelayMs: 4000 });
    failTimes(limiter, 5);
    expect(limiter.check('alice', '10.0.0.1')).toEqual({ allowed: true });
    limiter.fail('alice', '10.0.0.1');
    expect(limiter.check('alice', '10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 1000 });
    advance(1000);
    expect(limiter.check('alice', '10.0.0.1')).toEqual({ allowed: true });
    limiter.fail('alice', '10.0.0.1');
    expect(limiter.check('alice', '10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 2000 });
    advance(2000);
    limiter.fail('alice', '10.0.0.1');
    expect(limiter.check('alice', '10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 4000 });
    advance(4000);
    failTimes(limiter, 40); // 2^40 s would overflow any sane delay; the cap holds
    expect(limiter.check('alice', '10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 4000 });
  });

  it('locks per user name (case-insensitive) from any address', () => {
    const { limiter } = setup({ maxFailures: 2 });
    limiter.fail('Alice', '10.0.0.1');
    limiter.fail('ALICE', '10.0.0.2');
    limiter.fail('alice', '10.0.0.3');
    expect(limiter.isLocked('aLiCe')).toBe(true);
    expect(limiter.check('alice', '10.9.9.9').allowed).toBe(false);
    expect(limiter.check('bob', '10.9.9.9').allowed).toBe(true);
  });

  it('locks per address across user names', () => {
    const { limiter } = setup({ maxFailures: 2 });
    for (const user of ['a', 'b', 'c']) limiter.fail(user, '192.0.2.7');
    expect(limiter.check('d', '192.0.2.7').allowed).toBe(false);
    expect(limiter.isLocked('d')).toBe(false);
    expect(limiter.check('d', '192.0.2.8').allowed).toBe(true);
  });

  it('treats any name alike: it never consults a user list', () => {
    const { limiter } = setup({ maxFailures: 1 });
    failTimes(limiter, 2, 'existing-admin', '1.1.1.1');
    failTimes(limiter, 2, 'nobody-by-this-name', '2.2.2.2');
    expect(limiter.check('existing-admin', '3.3.3.3')).toEqual(limiter.check('nobody-by-this-name', '4.4.4.4'));
  });

  it('a success clears the user and the address counters', () => {
    const { limiter } = setup({ maxFailures: 2 });
    failTimes(limiter, 2);
    limiter.succeed('ALICE', '10.0.0.1');
    failTimes(limiter, 2);
    expect(limiter.check('alice', '10.0.0.1').allowed).toBe(true);
    limiter.fail('alice', '10.0.0.1');
    expect(limiter.check('alice', '10.0.0.1').allowed).toBe(false);
  });

  it('a user name and an address with the same text do not share a counter', () => {
    const { limiter } = setup({ maxFailures: 1 });
    failTimes(limiter, 2, '10.0.0.1', '10.0.0.2');
    expect(limiter.check('x', '10.0.0.1').allowed).toBe(true);
  });

  it('forgets old unlocked counters after forgetAfterMs', () => {
    const { limiter, advance } = setup({ maxFailures: 2, forgetAfterMs: 60_000 });
    failTimes(limiter, 2);
    advance(60_000);
    failTimes(limiter, 2);
    expect(limiter.check('alice', '10.0.0.1').allowed).toBe(true);
  });

  it('bounds memory, dropping unlocked entries before locks', () => {
    const { limiter } = setup({ maxFailures: 1, maxEntries: 10 });
    failTimes(limiter, 2, 'victim', '10.0.0.1'); // both keys locked
    for (let i = 0; i < 100; i += 1) limiter.fail(`name${i}`, `10.1.0.${i}`);
    expect(limiter.size).toBeLessThanOrEqual(10);
    expect(limiter.isLocked('victim')).toBe(true);
  });
});

describe('LoginLimiter.attempt', () => {
  it('passes a right answer through and clears the counters', async () => {
    const { limiter } = setup({ maxFailures: 1 });
    limiter.fail('alice', '10.0.0.1');
    expect(await limiter.attempt('alice', '10.0.0.1', async () => 'alice')).toEqual({ outcome: 'ok', value: 'alice' });
    expect(limiter.isLocked('alice')).toBe(false);
  });

  it('counts a wrong answer and then refuses without calling verify', async () => {
    const { limiter } = setup({ maxFailures: 1 });
    expect(await limiter.attempt('alice', '10.0.0.1', async () => null)).toEqual({ outcome: 'wrong' });
    expect(await limiter.attempt('alice', '10.0.0.1', async () => null)).toEqual({ outcome: 'wrong' });
    let called = false;
    const third = await limiter.attempt('alice', '10.0.0.1', async () => {
      called = true;
      return 'alice';
    });
    expect(third.outcome).toBe('limited');
    expect(called).toBe(false);
  });

  it('records each parallel guess before any password check finishes', async () => {
    const { limiter } = setup({ maxFailures: 2 });
    let checks = 0;
    const slowWrong = () =>
      new Promise<null>((resolve) => {
        checks += 1;
        setTimeout(() => resolve(null), 10);
      });
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => limiter.attempt('alice', '10.0.0.1', slowWrong)));
    expect(checks).toBe(3); // two free failures, a third that locks; the other seven never reach verify
    expect(outcomes.filter((o) => o.outcome === 'limited')).toHaveLength(7);
  });
});

describe('LoginLimiter: what the panel shows and an admin clears', () => {
  it('says until when a user is locked, counting a locked panel address, and unlock clears both', () => {
    const { limiter, advance } = setup({ maxFailures: 1, baseDelayMs: 60_000 });
    expect(limiter.lockedUntil('alice')).toBeNull();
    failTimes(limiter, 2, 'alice', 'local');
    expect(limiter.lockedUntil('alice')).toBe(1_000_000 + 60_000);
    // Another name failing from the (only) panel address stops bob too: the panel shows it.
    expect(limiter.lockedUntil('bob')).toBe(1_000_000 + 60_000);
    expect(limiter.unlock('bob')).toBe(true);
    expect(limiter.check('bob', 'local').allowed).toBe(true);
    expect(limiter.check('alice', 'local').allowed).toBe(false); // alice's own counter stays
    expect(limiter.unlock('ALICE')).toBe(true);
    expect(limiter.check('alice', 'local').allowed).toBe(true);
    expect(limiter.unlock('alice')).toBe(false);
    failTimes(limiter, 2, 'carol', 'local');
    advance(60_000);
    expect(limiter.lockedUntil('carol')).toBeNull();
  });
});
