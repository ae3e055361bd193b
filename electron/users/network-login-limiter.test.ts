import { describe, expect, it } from 'vitest';
import { NetworkLoginLimiter, type NetworkLoginLimiterOptions } from './network-login-limiter.js';

function setup(options: Omit<NetworkLoginLimiterOptions, 'now'> = {}) {
  let now = 1_000_000;
  const limiter = new NetworkLoginLimiter({ ...options, now: () => now });
  return { limiter, advance: (ms: number) => (now += ms), now: () => now };
}

const fail = (limiter: NetworkLoginLimiter, n: number, user: string, address: string) => {
  for (let i = 0; i < n; i += 1) limiter.fail(user, address);
};
const allowed = (limiter: NetworkLoginLimiter, user: string, address: string) => limiter.check(user, address).allowed;
const right = async () => 'ok';
const wrong = async () => null;

describe('NetworkLoginLimiter', () => {
  it('locks a (user, client) pair after 5 failures, with a doubling delay; other pairs go on', () => {
    const { limiter, advance } = setup();
    fail(limiter, 5, 'admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
    limiter.fail('admin', '192.0.2.7');
    expect(limiter.check('ADMIN', '192.0.2.7')).toEqual({ allowed: false, retryAfterMs: 1000 });
    advance(1000);
    limiter.fail('admin', '192.0.2.7');
    expect(limiter.check('admin', '192.0.2.7')).toEqual({ allowed: false, retryAfterMs: 2000 });
    expect(allowed(limiter, 'admin', '192.0.2.8')).toBe(true);
    expect(allowed(limiter, 'bob', '192.0.2.7')).toBe(true);
  });

  it('locks a client that tries many names after 20 failures, for every name', () => {
    const { limiter } = setup();
    for (let i = 0; i < 20; i += 1) limiter.fail(`name${i}`, '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
    limiter.fail('name20', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(false);
    expect(allowed(limiter, 'admin', '192.0.2.8')).toBe(true);
  });

  it('counts every address of an IPv6 /64 as one client', () => {
    const { limiter } = setup();
    for (let i = 1; i <= 6; i += 1) limiter.fail('admin', `2001:db8:1:2::${i.toString(16)}`);
    expect(allowed(limiter, 'admin', '2001:db8:1:2:ffff::1')).toBe(false);
    expect(allowed(limiter, 'admin', '2001:db8:1:3::1')).toBe(true);
  });

  it('a per-user ceiling stops new clients only; a client that has logged in as the user goes on', async () => {
    const { limiter, advance } = setup({ perUserPerHour: 10 });
    expect(await limiter.attempt('admin', '10.0.0.1', right)).toEqual({ outcome: 'ok', value: 'ok' }); // the owner's client
    for (let i = 0; i < 10; i += 1) limiter.fail('admin', `192.0.2.${i}`);
    expect(limiter.check('admin', '192.0.2.200')).toEqual({ allowed: false, retryAfterMs: 6 * 60_000 });
    expect(allowed(limiter, 'Admin', '10.0.0.1')).toBe(true);
    expect(allowed(limiter, 'bob', '192.0.2.200')).toBe(true);
    advance(6 * 60_000); // drains at 10 an hour: one every 6 minutes
    expect(allowed(limiter, 'admin', '192.0.2.200')).toBe(true);
  });

  it('a success does not fill the ceiling: a client logging in all day is never refused', async () => {
    const { limiter, advance } = setup({ perUserPerHour: 10 });
    for (let i = 0; i < 100; i += 1) {
      expect((await limiter.attempt('admin', `192.0.2.${i}`, right)).outcome).toBe('ok');
      advance(1000);
    }
    expect(limiter.locks('admin')).toEqual([]);
  });

  it('cannot be turned into a lock-out lever: 30 clients guessing for an hour leave the owner free everywhere', async () => {
    const { limiter, advance } = setup();
    let guesses = 0;
    for (let second = 0; second < 3600; second += 1) {
      for (let client = 0; client < 30; client += 1) {
        if ((await limiter.attempt('admin', `198.51.100.${client}`, wrong)).outcome === 'wrong') guesses += 1;
      }
      advance(1000);
    }
    // About 17 guesses per client in the first hour: far below the ceiling of 600.
    expect(guesses).toBeLessThan(600);
    expect(guesses).toBeGreaterThan(30 * 10);
    expect((await limiter.attempt('admin', '192.0.2.1', right)).outcome).toBe('ok');
    expect(limiter.locks('admin').map((lock) => lock.kind)).toEqual(['api']);
  });

  it('lists the locks that concern a user, and unlock clears them with the clients they failed from', () => {
    const { limiter, now } = setup({ perUserPerHour: 8 });
    fail(limiter, 6, 'admin', '192.0.2.7');
    fail(limiter, 2, 'admin', '192.0.2.8');
    for (let i = 0; i < 21; i += 1) limiter.fail(`x${i}`, '192.0.2.9'); // a client locked for other names only
    expect(limiter.locks('bob')).toEqual([]);
    expect(limiter.locks('ADMIN')).toEqual([
      { kind: 'api', clients: ['192.0.2.7'], until: now() + 1000 },
      { kind: 'apiCeiling', until: expect.any(Number) as number },
    ]);
    expect(limiter.unlock('admin')).toBe(true);
    expect(limiter.locks('admin')).toEqual([]);
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
    expect(allowed(limiter, 'admin', '192.0.2.200')).toBe(true);
    expect(allowed(limiter, 'admin', '192.0.2.9')).toBe(false); // admin never failed from there
    expect(limiter.unlock('admin')).toBe(false);
  });

  it('shows a client locked for many names under a user who failed from it', () => {
    const { limiter } = setup();
    limiter.fail('admin', '192.0.2.7');
    for (let i = 0; i < 20; i += 1) limiter.fail(`x${i}`, '192.0.2.7');
    expect(limiter.locks('admin')).toMatchObject([{ kind: 'api', clients: ['192.0.2.7'] }]);
    limiter.unlock('admin');
    expect(allowed(limiter, 'x1', '192.0.2.7')).toBe(true);
  });

  it('keeps memory bounded, dropping buckets below the ceiling before full ones', () => {
    const { limiter } = setup({ perUserPerHour: 3, maxUsers: 10 });
    for (let i = 0; i < 3; i += 1) limiter.fail('victim', `192.0.2.${i}`);
    for (let i = 0; i < 100; i += 1) limiter.fail(`name${i}`, `198.51.100.${i}`);
    expect(allowed(limiter, 'victim', '203.0.113.1')).toBe(false);
  });
});

describe('NetworkLoginLimiter.configure (setDefault DefaultMaxFailCount / DefaultResetFailCount)', () => {
  it('changes live after how many failures a (user, client) pair is locked', () => {
    const { limiter } = setup();
    limiter.configure({ maxFailCount: 2, resetFailCount: true });
    fail(limiter, 1, 'admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
    // The second failure reaches DefaultMaxFailCount: the third attempt is refused.
    limiter.fail('admin', '192.0.2.7');
    expect(limiter.check('admin', '192.0.2.7')).toEqual({ allowed: false, retryAfterMs: 1000 });
    // The per-client rule (20 names) is not changed by it.
    for (let i = 0; i < 20; i += 1) limiter.fail(`name${i}`, '192.0.2.8');
    expect(allowed(limiter, 'other', '192.0.2.8')).toBe(true);
  });

  it('maxFailCount 0: the first failure already locks', async () => {
    const { limiter, advance } = setup();
    limiter.configure({ maxFailCount: 0, resetFailCount: true });
    expect(await limiter.attempt('admin', '192.0.2.7', wrong)).toEqual({ outcome: 'wrong' });
    expect(await limiter.attempt('admin', '192.0.2.7', right)).toEqual({ outcome: 'limited', retryAfterMs: 1000 });
    advance(1000);
    // A correct password after the lock ran out gets in, and (reset) clears the count.
    expect(await limiter.attempt('admin', '192.0.2.7', right)).toEqual({ outcome: 'ok', value: 'ok' });
    expect(await limiter.attempt('admin', '192.0.2.7', right)).toEqual({ outcome: 'ok', value: 'ok' });
  });

  it('raising the limit lets a pair go on from its next failure', () => {
    const { limiter, advance } = setup();
    fail(limiter, 6, 'admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(false);
    limiter.configure({ maxFailCount: 10, resetFailCount: true });
    advance(1000); // the running lock ends when it would have
    limiter.fail('admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
  });

  it('resetFailCount true (the default): a success clears the count', async () => {
    const { limiter } = setup();
    fail(limiter, 5, 'admin', '192.0.2.7');
    expect((await limiter.attempt('admin', '192.0.2.7', right)).outcome).toBe('ok');
    fail(limiter, 5, 'admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
  });

  it('resetFailCount false: a success keeps the earlier failures, and is not counted as one itself', async () => {
    const { limiter, advance } = setup();
    limiter.configure({ maxFailCount: 4, resetFailCount: false });
    for (let i = 0; i < 3; i += 1) expect((await limiter.attempt('admin', '192.0.2.7', wrong)).outcome).toBe('wrong');
    // Successes at the edge of the limit: each gets in, none adds to the count or starts a lock.
    for (let i = 0; i < 5; i += 1) expect(await limiter.attempt('admin', '192.0.2.7', right)).toEqual({ outcome: 'ok', value: 'ok' });
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
    // The three earlier failures still count: the next one locks.
    expect((await limiter.attempt('admin', '192.0.2.7', wrong)).outcome).toBe('wrong');
    expect(limiter.check('admin', '192.0.2.7')).toEqual({ allowed: false, retryAfterMs: 1000 });
    advance(1000);
    // Switched back on, the next success clears it.
    limiter.configure({ maxFailCount: 4, resetFailCount: true });
    expect((await limiter.attempt('admin', '192.0.2.7', right)).outcome).toBe('ok');
    fail(limiter, 3, 'admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
  });

  it('resetFailCount false: a success after a lock ran out does not start a new lock', async () => {
    const { limiter, advance } = setup();
    limiter.configure({ maxFailCount: 2, resetFailCount: false });
    fail(limiter, 2, 'admin', '192.0.2.7'); // the second failure locks for 1 s
    advance(1000);
    expect((await limiter.attempt('admin', '192.0.2.7', right)).outcome).toBe('ok');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
    limiter.fail('admin', '192.0.2.7');
    expect(limiter.check('admin', '192.0.2.7')).toEqual({ allowed: false, retryAfterMs: 2000 });
  });

  it('refuses a maxFailCount that is not a whole number of 0 or more, keeping the rule it had', () => {
    const { limiter } = setup();
    for (const maxFailCount of [-1, 2.5, Number.NaN]) expect(() => limiter.configure({ maxFailCount, resetFailCount: false })).toThrow(RangeError);
    fail(limiter, 5, 'admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(true);
    limiter.fail('admin', '192.0.2.7');
    expect(allowed(limiter, 'admin', '192.0.2.7')).toBe(false);
  });
});
