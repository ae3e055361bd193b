/**
 * Limits password guessing on the panel (architecture: "login attempts limited"): the desktop window and
 * the loopback panel only. The network API has its own limiter (network-login-limiter.ts), so failures
 * there can never lock the panel (docs/compatibility.md §2.1).
 *
 * Failures are counted per user name (lower-cased) and per client address independently; either one being
 * locked refuses the attempt. The limiter never looks users up, so an unknown name is counted and locked
 * exactly like a real one and the answers cannot reveal which names exist. A success clears both counters.
 */
import { FailureCounter, type FailureCounterOptions } from './failure-counter.js';

export type LoginLimiterOptions = FailureCounterOptions;

export type LoginCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

export type LoginAttempt<T> =
  | { outcome: 'ok'; value: T }
  | { outcome: 'wrong' }
  | { outcome: 'limited'; retryAfterMs: number };

/** What attemptLogin needs from a limiter. */
export interface LoginGate {
  check(user: string, address: string): LoginCheck;
  fail(user: string, address: string): void;
  succeed(user: string, address: string): void;
}

/**
 * One login attempt through `gate`. The attempt counts as a failure *before* the slow password check, so
 * parallel guesses cannot all pass check() before any failure is recorded; a success clears it again.
 */
export async function attemptLogin<T>(
  gate: LoginGate,
  user: string,
  address: string,
  verify: () => Promise<T | null>,
): Promise<LoginAttempt<T>> {
  const allowed = gate.check(user, address);
  if (!allowed.allowed) return { outcome: 'limited', retryAfterMs: allowed.retryAfterMs };
  gate.fail(user, address);
  const value = await verify();
  if (value === null) return { outcome: 'wrong' };
  gate.succeed(user, address);
  return { outcome: 'ok', value };
}

export class LoginLimiter implements LoginGate {
  readonly #counter: FailureCounter;

  constructor(options: LoginLimiterOptions = {}) {
    this.#counter = new FailureCounter(options);
  }

  check(user: string, address: string): LoginCheck {
    const now = this.#counter.now();
    const wait = Math.max(this.#counter.lockRemaining(userKey(user), now), this.#counter.lockRemaining(addressKey(address), now));
    return wait > 0 ? { allowed: false, retryAfterMs: wait } : { allowed: true };
  }

  fail(user: string, address: string): void {
    this.#counter.fail(userKey(user));
    this.#counter.fail(addressKey(address));
  }

  succeed(user: string, address: string): void {
    this.#counter.clear(userKey(user));
    this.#counter.clear(addressKey(address));
  }

  attempt<T>(user: string, address: string, verify: () => Promise<T | null>): Promise<LoginAttempt<T>> {
    return attemptLogin(this, user, address, verify);
  }

  isLocked(user: string): boolean {
    return this.#counter.lockRemaining(userKey(user)) > 0;
  }

  /**
   * When the panel login of `user` is possible again (ms since the epoch), or null when it is now. A locked
   * panel address counts too: the panel's clients are all on this machine, so it stops this user as well.
   */
  lockedUntil(user: string): number | null {
    const until = Math.max(0, ...this.#counter.find((key) => key === userKey(user) || key.startsWith(ADDRESS_PREFIX)).map((e) => e.lockedUntil));
    return until > this.#counter.now() ? until : null;
  }

  /**
   * An admin's unlock: the name's counter and the panel's address counters go (all panel clients are on
   * this machine, so an address lock stops this user as well). True when something was locked.
   */
  unlock(user: string): boolean {
    return this.#counter.clearWhere((key) => key === userKey(user) || key.startsWith(ADDRESS_PREFIX)) > 0;
  }

  /** Number of remembered keys (for tests of the memory bound). */
  get size(): number {
    return this.#counter.size;
  }
}

// Separate namespaces: a user called "127.0.0.1" must not share a counter with that address.
const ADDRESS_PREFIX = 'a:';
const userKey = (user: string): string => `u:${user.toLowerCase()}`;
const addressKey = (address: string): string => `${ADDRESS_PREFIX}${address}`;
