import { describe, expect, it } from 'vitest';
import { ExchangeLimiter } from './exchange-limiter.js';
import { LINK_LIMITS, PanelLinks } from './panel-links.js';

describe('panel links', () => {
  it('open once', () => {
    const links = new PanelLinks();
    const token = links.issue(null);
    const link = links.match(token);
    expect(link).not.toBeNull();
    if (link) links.consume(link);
    expect(links.match(token)).toBeNull();
    expect(links.match(`${token}x`)).toBeNull();
  });

  it('a fresh link lapses after its lifetime; the one printed at start waits', () => {
    const clock = { at: 0 };
    const links = new PanelLinks(() => clock.at);
    const printed = links.issue(null);
    const fresh = links.issue(LINK_LIMITS.freshLifetimeMs);
    clock.at = LINK_LIMITS.freshLifetimeMs;
    expect(links.match(fresh)).toBeNull();
    expect(links.match(printed)).not.toBeNull();
  });

  it('keeps a bounded number of unused links, dropping the oldest', () => {
    const links = new PanelLinks();
    const first = links.issue(null);
    const tokens = Array.from({ length: LINK_LIMITS.outstanding }, () => links.issue(null));
    expect(links.match(first)).toBeNull();
    expect(tokens.every((token) => links.match(token) !== null)).toBe(true);
  });
});

describe('exchange limiter', () => {
  const limits = { failures: 3, windowMs: 1000, addresses: 2 };

  it('blocks an address after its failures until the window ends, and says so once', () => {
    const clock = { at: 0 };
    const limiter = new ExchangeLimiter(() => clock.at, limits);
    expect([limiter.recordFailure('a'), limiter.recordFailure('a'), limiter.recordFailure('a')]).toEqual([false, false, true]);
    clock.at = 400;
    expect(limiter.retryAfterMs('a')).toBe(600);
    expect(limiter.retryAfterMs('b')).toBe(0);
    expect(limiter.recordFailure('a')).toBe(false);
    clock.at = 1000;
    expect(limiter.retryAfterMs('a')).toBe(0);
  });

  it('tracks a bounded number of addresses', () => {
    const limiter = new ExchangeLimiter(() => 0, limits);
    for (const address of ['a', 'b', 'c']) for (let n = 0; n < 3; n++) limiter.recordFailure(address);
    expect(limiter.retryAfterMs('a')).toBe(0); // the oldest was dropped to make room
    expect(limiter.retryAfterMs('c')).toBe(1000);
  });
});
